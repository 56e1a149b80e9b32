/**
 * Public-field data transfer objects exchanged between Patchbay, its plugins and its API clients.
 * They carry data only; they have no behaviour and are serialised as they are.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package io.patchbay.api.dto;
