@io.patchbay.api.source.ProvideUpdateSource("apt")
package io.patchbay.source.apt.internal;
