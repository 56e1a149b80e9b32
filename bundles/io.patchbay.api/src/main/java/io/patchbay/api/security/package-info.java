/**
 * Who may use the API: credentials (API tokens and device secrets, stored only as hashes), the roles they carry, and
 * the authenticators that turn a request's credentials into a caller.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.patchbay.api.security;
