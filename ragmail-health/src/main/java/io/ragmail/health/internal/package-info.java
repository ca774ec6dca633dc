/** Rendering (JSON, HTML), metrics and scrubbing behind {@link io.ragmail.health.HealthServer}; not a public API. */
package io.ragmail.health.internal;
