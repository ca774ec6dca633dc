/**
 * Health, metrics and dashboard for ragmail: {@link io.ragmail.health.HealthMonitor} (a pipeline
 * listener and probe scheduler whose {@link io.ragmail.health.HealthSnapshot} a host can read as
 * Java objects) and {@link io.ragmail.health.HealthServer} (the embeddable HTTP server for
 * {@code /health}, {@code /metrics} and the dashboard).
 */
package io.ragmail.health;
