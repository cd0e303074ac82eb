package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"net"
	"sync"
	"time"
)

// The test certificates: an ECDSA P-256 CA and a leaf it signs for
// "localhost", 127.0.0.1 and ::1, valid from an hour before first use for
// ten years. They are generated in memory on first use.
var testCerts = sync.OnceValue(generateCerts)

type certs struct {
	leaf  tls.Certificate
	ca    *x509.Certificate
	caKey *ecdsa.PrivateKey
	caPEM []byte
}

// TLSCertificate returns the server certificate Serve presents at "! tls"
// when ServeOptions.TLSConfig is nil. It is valid for "localhost",
// 127.0.0.1 and ::1 and signed by the CA of CertPool and CAPEM. The
// returned value shares its byte slices with the package: do not modify
// them.
func TLSCertificate() tls.Certificate {
	return testCerts().leaf
}

// CertPool returns a new pool holding the test CA, for a client's
// tls.Config.RootCAs.
func CertPool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(testCerts().ca)
	return pool
}

// CAPEM returns the test CA certificate in PEM form, for code that reads a
// CA file.
func CAPEM() []byte {
	return bytes.Clone(testCerts().caPEM)
}

// generateCerts builds the CA and leaf. It panics on failure, which only a
// broken crypto/rand can cause.
func generateCerts() *certs {
	notBefore := time.Now().Add(-time.Hour)
	notAfter := notBefore.AddDate(10, 0, 0)

	caKey := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	caTmpl := &x509.Certificate{
		// A nil SerialNumber makes CreateCertificate pick a random one.
		Subject:               pkix.Name{Organization: []string{"smtpsh"}, CommonName: "smtptest CA"},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER := must(x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey))
	ca := must(x509.ParseCertificate(caDER))

	leafKey := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	leafTmpl := &x509.Certificate{
		Subject:     pkix.Name{Organization: []string{"smtpsh"}, CommonName: "localhost"},
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:   notBefore,
		NotAfter:    notAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER := must(x509.CreateCertificate(rand.Reader, leafTmpl, ca, &leafKey.PublicKey, caKey))
	leaf := must(x509.ParseCertificate(leafDER))

	return &certs{
		leaf:  tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: leafKey, Leaf: leaf},
		ca:    ca,
		caKey: caKey,
		caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic("smtptest: generating the test certificates: " + err.Error())
	}
	return v
}

// ClientCertificate returns a new TLS client certificate for user (its
// common name), signed by the test CA, with its key in PEM form too, for
// AUTH EXTERNAL against a MailServer and for --cert/--key.
func ClientCertificate(user string) (cert tls.Certificate, certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return cert, nil, nil, err
	}
	now := time.Now().Add(-time.Hour)
	tmpl := &x509.Certificate{
		Subject:     pkix.Name{Organization: []string{"smtpsh"}, CommonName: user},
		NotBefore:   now,
		NotAfter:    now.AddDate(1, 0, 0),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	c := testCerts()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.ca, &key.PublicKey, c.caKey)
	if err != nil {
		return cert, nil, nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return cert, nil, nil, err
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	cert, err = tls.X509KeyPair(certPEM, keyPEM)
	return cert, certPEM, keyPEM, err
}
