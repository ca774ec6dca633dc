package io.ragmail.health;

import java.util.Locale;

/**
 * The overall verdict of {@code GET /health}. The rules, applied to the components in order:
 * <ul>
 *   <li>{@link #UNHEALTHY} (HTTP 503): a critical component is {@link ComponentState#DOWN} (by
 *       default {@code imap}, {@code ledger} and {@code disk}: no mail comes in, or nothing can be
 *       recorded), or the pipeline loop stopped making progress (see {@link HealthMonitor#live()});</li>
 *   <li>{@link #DEGRADED} (HTTP 200): another component is down ({@code smtp}, {@code mistral},
 *       {@code odoo}, {@code knowledge}: mail goes to retry or review, nothing is lost), or any
 *       component is {@link ComponentState#DEGRADED} (disk space or memory running low);</li>
 *   <li>{@link #HEALTHY} (HTTP 200) otherwise. A component nothing has been heard from yet
 *       ({@link ComponentState#UNKNOWN}) does not count against health.</li>
 * </ul>
 *
 * <pre>{@code
 * exchange.sendResponseHeaders(monitor.snapshot().status().httpStatus(), -1);
 * }</pre>
 */
public enum HealthStatus {
    HEALTHY,
    DEGRADED,
    UNHEALTHY;

    /** The lower-case name used in JSON and on the dashboard: {@code "healthy"}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** 200 for healthy and degraded, 503 for unhealthy. */
    public int httpStatus() {
        return this == UNHEALTHY ? 503 : 200;
    }
}
