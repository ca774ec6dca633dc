package io.ragmail.daemon.runtime;

import io.ragmail.core.NonRetriableException;

/** A dependency the start cannot do without is unreachable; {@code ragmail run} exits 3. */
public final class DaemonStartException extends NonRetriableException {

    private static final long serialVersionUID = 1L;

    public DaemonStartException(String component, String message) {
        super(component, message);
    }

    public DaemonStartException(String component, String message, Throwable cause) {
        super(component, message, cause);
    }
}
