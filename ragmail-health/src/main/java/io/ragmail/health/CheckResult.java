package io.ragmail.health;

/**
 * The answer of a liveness or readiness check: {@code /health/live} and {@code /health/ready}
 * return 200 when {@code ok}, else 503, with {@code reason} saying why not.
 *
 * <pre>{@code
 * CheckResult live = monitor.live();
 * int code = live.ok() ? 200 : 503;
 * }</pre>
 */
public record CheckResult(boolean ok, String reason) {
    public CheckResult {
        reason = reason == null ? "" : reason;
    }

    public static CheckResult pass() {
        return new CheckResult(true, "");
    }

    public static CheckResult fail(String reason) {
        return new CheckResult(false, reason);
    }
}
