package io.ragmail.daemon;

/** The documented exit codes of {@code ragmail.jar} (docs/operations.md). */
final class ExitCodes {

    static final int OK = 0;
    /** A check failed, the daemon is unhealthy, or a queue command found nothing to do. */
    static final int FAILED = 1;
    /** The configuration is wrong; every problem was printed, one line each. */
    static final int CONFIG = 2;
    /** A dependency that is needed at start is unreachable (or refused the login). */
    static final int DEPENDENCY = 3;
    /** Another instance holds the data dir. */
    static final int LOCKED = 4;

    private ExitCodes() {
    }
}
