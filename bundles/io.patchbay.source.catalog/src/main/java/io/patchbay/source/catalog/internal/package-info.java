@io.patchbay.api.source.ProvideUpdateSource("catalog")
package io.patchbay.source.catalog.internal;
