package io.ragmail.core.review;

import io.ragmail.core.CustomerFacts;
import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.ErpRecord;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.Passage;
import io.ragmail.core.SenderIdentity;
import io.ragmail.core.TokenUsage;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A realistic request (acetone questions, passages with prices and CAS numbers, one order) for policy tests. */
final class Requests {

    static final Passage ACETONE = new Passage("kb-acetone", "Acetone ACE-500, 25 L drum",
            "Acetone (CAS 67-64-1, UN 1090) in 25 L drums. Price: EUR 1,200.00 per pallet of 12 drums. "
                    + "Safety data sheet revised on 2025-03-15.", 0.9);
    static final Passage SHIPPING = new Passage("kb-shipping", "Shipping",
            "Orders placed before 14:00 ship the same day. Free shipping from 250 EUR.", 0.5);

    static final CustomerFacts FACTS = new CustomerFacts("res.partner/7", "Lovelace Labs", List.of(
            new ErpRecord("order", "S00042", Map.of("state", "shipped", "date", "12.11.2026", "amount", "2.400,00 EUR")),
            new ErpRecord("invoice", "INV/2026/00017", Map.of("due", "2026-12-12"))));

    private Requests() {
    }

    static InboundMail mail(String subject, String text) {
        return InboundMail.builder().key(new MailKey("INBOX", "<q1@customer.example>"))
                .from(EmailAddress.of("ada@customer.example")).subject(subject).text(text).build();
    }

    static InboundMail question() {
        return mail("Acetone order", "Hello, where is my order, and what does acetone cost per pallet? I need 36 drums. Thanks, Ada");
    }

    static DraftRequest verified(InboundMail mail) {
        return new DraftRequest(mail, List.of(ACETONE, SHIPPING), Optional.of(FACTS),
                new SenderIdentity(mail.from(), true, "dkim=pass header.d=customer.example"), false);
    }

    static DraftRequest verified() {
        return verified(question());
    }

    static DraftRequest unverified() {
        InboundMail mail = question();
        return new DraftRequest(mail, List.of(ACETONE, SHIPPING), Optional.empty(),
                new SenderIdentity(mail.from(), false, "no Authentication-Results from mx.shop.example"), true);
    }

    static Draft draft(String text, String... cited) {
        return new Draft(text, "en", 0.9, List.of(cited), false, "", TokenUsage.NONE);
    }

    static Draft draft(String text, double confidence) {
        return new Draft(text, "en", confidence, List.of("kb-acetone"), false, "", TokenUsage.NONE);
    }
}
