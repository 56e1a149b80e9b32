/**
 * The device side's contract with the server: enrollment tokens and enrollment, check-ins, and the source bundles the
 * server distributes to agents. The DTOs are the JSON bodies of the {@code /api/v1/agent/...} endpoints.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.patchbay.api.agent;
