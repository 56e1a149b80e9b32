/** The agent's implementation: not exported. */
package io.patchbay.agent.internal;
