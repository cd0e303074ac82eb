package explain

import (
	"maps"
	"slices"
	"sync"
)

// The catalog maps every message ID to its templates in English,
// Simplified Chinese and Traditional Chinese, indexed by [Lang].
// Placeholders are {name}; all three use the same ones (the catalog test
// checks it).
//
// It is built on first use, not at start-up: every smtpsh command links
// this package, and many never print an explanation. Its parts are kept
// apart and searched in turn rather than copied into one map: a second
// copy of about a thousand entries cost every command that explains
// anything some 40 page faults, over a millisecond on the test machine.
// No ID is in two parts (the catalog test checks it).
var catalogParts = sync.OnceValue(buildCatalogParts)

// buildCatalogParts makes the parts of the catalog.
func buildCatalogParts() []map[string][3]string {
	return []map[string][3]string{
		reportCatalog(), extCatalog(), problemCatalog(), adviceCatalog(),
		codeCatalog(), enhancedCatalog(), replyAdviceCatalog(), extensionCatalog(),
		commandCatalog(), warnCatalog(), uiCatalog(), sessionCatalog(), providersCatalog(), mxCatalog(),
		shellCatalog(), shellNotesCatalog(), sendCatalog(), saslCatalog(), proxyCatalog(),
	}
}

// lookup returns the templates of id.
func lookup(id string) ([3]string, bool) {
	for _, part := range catalogParts() {
		if t, ok := part[id]; ok {
			return t, true
		}
	}
	return [3]string{}, false
}

// has reports whether id is in the catalog.
func has(id string) bool {
	_, ok := lookup(id)
	return ok
}

// IDs lists every message ID of the catalog, for tests and tools.
func IDs() []string {
	var ids []string
	for _, part := range catalogParts() {
		ids = slices.AppendSeq(ids, maps.Keys(part))
	}
	slices.Sort(ids)
	return ids
}

// Templates returns the three templates of id, for tests.
func Templates(id string) ([3]string, bool) {
	return lookup(id)
}
