@io.patchbay.api.source.ProvideUpdateSource("dnf")
package io.patchbay.source.dnf.internal;
