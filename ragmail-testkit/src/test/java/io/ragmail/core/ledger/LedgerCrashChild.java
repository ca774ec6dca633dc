package io.ragmail.core.ledger;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.TokenUsage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Run in a child JVM by {@link SqliteLedgerTest}: admits a mail, moves it to SENT, prints
 * {@code committed} and halts without closing the ledger, as a killed process would.
 */
public final class LedgerCrashChild {

    static final MailKey KEY = new MailKey("INBOX", "<crash@example.com>");
    static final Instant AT = Instant.parse("2026-03-01T09:00:00Z");

    private LedgerCrashChild() {
    }

    static OutboundReply reply() {
        return new OutboundReply("<reply-crash@shop.example>", EmailAddress.of("support@shop.example"),
                EmailAddress.of("ada@example.com"), "Re: crash", "<crash@example.com>",
                List.of("<crash@example.com>"), "Grüße 🙂", Map.of("X-Loop", "ragmail"), List.of());
    }

    public static void main(String[] args) {
        SqliteLedger ledger = SqliteLedger.open(Path.of(args[0]));
        ledger.admit(InboundMail.builder().key(KEY).from(EmailAddress.of("ada@example.com")).subject("crash").build(), AT);
        ledger.markDrafting(KEY, AT.plusSeconds(1));
        ledger.storeReply(KEY, reply(), Disposition.SEND, new TokenUsage(5, 7), AT.plusSeconds(2));
        ledger.markDelivered(KEY, AT.plusSeconds(3));
        System.out.println("committed");
        System.out.flush();
        Runtime.getRuntime().halt(1);
    }
}
