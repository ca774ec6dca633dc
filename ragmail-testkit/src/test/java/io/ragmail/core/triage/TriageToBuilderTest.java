package io.ragmail.core.triage;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailHeaders;
import io.ragmail.core.MailKey;
import io.ragmail.core.ledger.ReplyQuota;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Triage#toBuilder()}: one setting changes, every other one stays. */
class TriageToBuilderTest {

    static final EmailAddress SUPPORT = EmailAddress.of("support@shop.example");

    static InboundMail mail(String from, MailHeaders headers) {
        return InboundMail.builder().key(new MailKey("INBOX", "<" + from.hashCode() + "@x.example>"))
                .from(EmailAddress.of(from)).subject("Acetone?").text("Do you have acetone?").headers(headers).build();
    }

    @Test
    void changing_one_limit_keeps_the_other_limits_our_addresses_and_the_loop_id() {
        Triage original = Triage.builder().ourAddresses(List.of(SUPPORT, EmailAddress.of("sales@shop.example")))
                .loopId("shop-loop").maxRepliesPerSender(7).senderWindow(Duration.ofHours(6)).build();

        Triage changed = original.toBuilder().maxRepliesPerThread(2).build();

        assertThat(changed.quota()).isEqualTo(new ReplyQuota(7, Duration.ofHours(6), 2, Triage.DEFAULT_THREAD_WINDOW));
        assertThat(changed.loopId()).isEqualTo("shop-loop");
        assertThat(changed.screen(mail("sales@shop.example", MailHeaders.EMPTY)).answer()).isFalse();
        assertThat(changed.screen(mail("ada@customer.example", MailHeaders.builder().add("X-Loop", "shop-loop").build()))
                .answer()).isFalse();
        assertThat(changed.screen(mail("ada@customer.example", MailHeaders.EMPTY)).answer()).isTrue();
        // the original is untouched
        assertThat(original.quota().maxPerThread()).isEqualTo(Triage.DEFAULT_MAX_REPLIES_PER_THREAD);
    }

    @Test
    void the_loop_id_defaults_to_the_first_of_our_addresses() {
        assertThat(Triage.builder().ourAddresses(List.of(SUPPORT)).build().loopId()).isEqualTo("support@shop.example");
    }
}
