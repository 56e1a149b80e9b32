/** A scriptable update source for the in-framework tests; it keeps its "installed" versions in memory. */
@io.patchbay.api.source.ProvideUpdateSource("test")
package io.patchbay.test.source;
