package io.ragmail.health;

import java.util.Objects;

/**
 * What one {@link ComponentProbe#check()} found. {@code detail} says why a component is degraded or
 * down; it is shown to operators, so it must hold no secrets (it is also scrubbed of obvious ones).
 *
 * <pre>{@code
 * return free < 0.02 ? ProbeResult.down("2% disk free") : ProbeResult.up();
 * }</pre>
 */
public record ProbeResult(ComponentState state, String detail) {

    public ProbeResult {
        Objects.requireNonNull(state, "state");
        if (state == ComponentState.UNKNOWN) {
            throw new IllegalArgumentException("state must be UP, DEGRADED or DOWN, was UNKNOWN");
        }
        detail = detail == null ? "" : detail;
    }

    public static ProbeResult up() {
        return new ProbeResult(ComponentState.UP, "");
    }

    public static ProbeResult degraded(String detail) {
        return new ProbeResult(ComponentState.DEGRADED, detail);
    }

    public static ProbeResult down(String detail) {
        return new ProbeResult(ComponentState.DOWN, detail);
    }
}
