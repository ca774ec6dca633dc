package io.ragmail.core.event;

import java.time.Instant;

/**
 * A dependency stopped answering ({@code "imap"}, {@code "smtp"}, {@code "drafter"}, …).
 * {@code critical} is set when waiting will not help (rejected credentials).
 */
public record ComponentDownEvent(String component, String error, boolean critical, Instant at) {
}
