package explain

import (
	"maps"
	"sync"
)

// catalog maps every message ID to its templates in English, Simplified
// Chinese and Traditional Chinese, indexed by [Lang]. Placeholders are
// {name}; all three use the same ones (the catalog test checks it).
//
// It is built on first use, not at start-up: every smtpsh command links
// this package, and many never print an explanation.
var catalog = sync.OnceValue(buildCatalog)

// buildCatalog joins the parts of the catalog.
func buildCatalog() map[string][3]string {
	all := map[string][3]string{}
	for _, part := range []map[string][3]string{
		reportCatalog(), extCatalog(), problemCatalog(), adviceCatalog(),
		codeCatalog(), enhancedCatalog(), replyAdviceCatalog(), extensionCatalog(),
		commandCatalog(), warnCatalog(), uiCatalog(), sessionCatalog(), providersCatalog(), mxCatalog(),
		shellCatalog(), shellNotesCatalog(), sendCatalog(), saslCatalog(), proxyCatalog(),
	} {
		maps.Copy(all, part)
	}
	return all
}

// IDs lists every message ID of the catalog, for tests and tools.
func IDs() []string {
	return sortedKeys(catalog())
}

// Templates returns the three templates of id, for tests.
func Templates(id string) ([3]string, bool) {
	t, ok := catalog()[id]
	return t, ok
}
