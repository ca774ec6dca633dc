package io.ragmail.it;

import io.ragmail.core.CustomerFacts;
import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.Drafter;
import io.ragmail.core.ErpClient;
import io.ragmail.core.ErpRecord;
import io.ragmail.core.Pipeline;
import io.ragmail.core.ReviewPolicy;
import io.ragmail.core.SenderIdentity;
import io.ragmail.core.TokenPricing;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.event.ReplyDraftedEvent;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.review.UnverifiedSenderAction;
import io.ragmail.core.verify.AuthenticationResultsVerifier;
import io.ragmail.testkit.TestMessage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end over a real mail server: a customer's private ERP data reaches the drafter (and so the
 * reply) only when our receiving server vouches for the sender.
 */
class SenderVerificationTest extends MailboxTestBase {

    private static final String OUR_MX = "mx.shop.example";
    private static final String ADA = "ada@customer.example";
    private static final String BOB = "bob@customer.example";
    private static final String CAROL = "carol@customer.example";

    /** Knows three customers, each with one order; records every identity it is asked about. */
    static final class RecordingErpClient implements ErpClient {
        final List<SenderIdentity> calls = new CopyOnWriteArrayList<>();

        @Override
        public Optional<CustomerFacts> factsFor(SenderIdentity sender) {
            calls.add(sender);
            String address = sender.address().normalized();
            String order = switch (address) {
                case ADA -> "S00042";
                case BOB -> "S00043";
                case CAROL -> "S00044";
                default -> null;
            };
            return order == null ? Optional.empty() : Optional.of(new CustomerFacts("res.partner/" + address, address,
                    List.of(new ErpRecord("order", order, Map.of("state", "shipped")))));
        }

        SenderIdentity callFor(String address) {
            return calls.stream().filter(c -> c.address().normalized().equals(address)).findFirst().orElseThrow();
        }
    }

    /** Writes every order it is given into the reply, as a model told the facts would; records requests. */
    static final class OrderEchoDrafter implements Drafter {
        final List<DraftRequest> requests = new CopyOnWriteArrayList<>();

        @Override
        public Draft draft(DraftRequest request) {
            requests.add(request);
            StringBuilder text = new StringBuilder("Hello,\n\nthank you for your message.\n");
            request.customerFacts().ifPresent(facts -> facts.records().forEach(r ->
                    text.append("Your order ").append(r.reference()).append(" is ").append(r.fields().get("state")).append(".\n")));
            if (request.privateDataWithheld()) {
                text.append("For questions about your orders, please write from your registered address.\n");
            }
            return new Draft(text.toString(), "en", 0.95, List.of(), false, "", new TokenUsage(1_000, 200));
        }

        DraftRequest requestFrom(String address) {
            return requests.stream().filter(r -> r.mail().from().normalized().equals(address)).findFirst().orElseThrow();
        }
    }

    private void deliver(String from, Map<String, String> headers) {
        rig.server.deliver(from, MailboxRig.SUPPORT, "Where is my order?", "Hello, where is my order? Thanks", headers);
    }

    private static Map<String, String> headers(String... nameValuePairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            headers.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return headers;
    }

    /** Ada: DKIM and DMARC pass at our server. Bob: only a forged header. Carol: passes, but Reply-To elsewhere. */
    private void deliverThreeCustomers() {
        deliver(ADA, headers("Authentication-Results", OUR_MX + ";\r\n\tdkim=pass header.d=customer.example header.s=s1;\r\n"
                + "\tdmarc=pass (p=reject) header.from=customer.example"));
        deliver(BOB, headers("Authentication-Results", "mx.attacker.example; dkim=pass header.d=customer.example; "
                + "dmarc=pass header.from=customer.example"));
        deliver(CAROL, headers("Authentication-Results", OUR_MX + "; dkim=pass header.d=customer.example",
                "Reply-To", "collector@attacker.example"));
    }

    private Pipeline.Builder pipeline(SqliteLedger ledger, ImapMailSource source, Drafter drafter, ErpClient erp) {
        return rig.pipeline(ledger, source, drafter).erp(erp)
                .senderVerifier(AuthenticationResultsVerifier.builder().authservId(OUR_MX).build());
    }

    @Test
    void only_a_verified_senders_erp_facts_reach_the_drafter_and_the_reply() {
        RecordingErpClient erp = new RecordingErpClient();
        OrderEchoDrafter drafter = new OrderEchoDrafter();
        List<ReplyDraftedEvent> drafted = new CopyOnWriteArrayList<>();
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = pipeline(ledger, source, drafter, erp)
                     .pricing(TokenPricing.per1k("0.002", "0.006", "EUR"))
                     .listener(new PipelineListener() {
                         @Override
                         public void onDrafted(ReplyDraftedEvent event) {
                             drafted.add(event);
                         }
                     })
                     .build()) {
            pipeline.start();
            deliverThreeCustomers();
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 3);
        }

        // the ERP was asked with the identity the verifier established
        assertThat(erp.callFor(ADA).verified()).isTrue();
        assertThat(erp.callFor(BOB).verified()).isFalse();
        assertThat(erp.callFor(CAROL).verified()).isFalse();
        assertThat(erp.callFor(CAROL).note()).contains("Reply-To collector@attacker.example");

        // only the verified sender's facts were in the request
        DraftRequest ada = drafter.requestFrom(ADA);
        assertThat(ada.customerFacts()).hasValueSatisfying(f -> assertThat(f.records()).extracting(ErpRecord::reference).containsExactly("S00042"));
        assertThat(ada.privateDataWithheld()).isFalse();
        for (String unverified : List.of(BOB, CAROL)) {
            DraftRequest request = drafter.requestFrom(unverified);
            assertThat(request.customerFacts()).as(unverified).isEmpty();
            assertThat(request.sender().verified()).as(unverified).isFalse();
            assertThat(request.privateDataWithheld()).as(unverified).isTrue();
        }

        // and the replies, all to the From address, carry the order only for Ada
        assertThat(rig.repliesTo(ADA)).singleElement().extracting(TestMessage::text).asString().contains("Your order S00042 is shipped.");
        assertThat(rig.repliesTo(BOB)).singleElement().extracting(TestMessage::text).asString()
                .doesNotContain("S00043").contains("write from your registered address");
        assertThat(rig.repliesTo(CAROL)).singleElement().extracting(TestMessage::text).asString().doesNotContain("S00044");
        assertThat(rig.repliesTo("collector@attacker.example")).isEmpty();

        // each draft's cost was reported: 1000 x 0.002/1k + 200 x 0.006/1k = 0.0032 EUR
        assertThat(drafted).hasSize(3).allSatisfy(event -> {
            assertThat(event.usage()).isEqualTo(new TokenUsage(1_000, 200));
            assertThat(event.cost()).isEqualByComparingTo(new BigDecimal("0.0032"));
            assertThat(event.currency()).isEqualTo("EUR");
        });
    }

    @Test
    void an_address_that_several_customers_share_gets_no_customer_data_and_its_reply_goes_to_review() {
        ErpClient sharedAddress = sender -> Optional.of(CustomerFacts.ambiguousSender());
        OrderEchoDrafter drafter = new OrderEchoDrafter();
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = pipeline(ledger, source, drafter, sharedAddress).build()) {
            pipeline.start();
            deliver(ADA, headers("Authentication-Results", OUR_MX + "; dkim=pass header.d=customer.example; "
                    + "dmarc=pass header.from=customer.example"));
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.REVIEW) == 1);
        }

        DraftRequest request = drafter.requestFrom(ADA);
        assertThat(request.sender().verified()).isTrue();
        assertThat(request.customerFacts()).isEmpty();
        assertThat(request.privateDataWithheld()).isFalse();
        assertThat(rig.repliesTo(ADA)).isEmpty();
        assertThat(rig.folder("Drafts")).singleElement().extracting(TestMessage::text).asString()
                .contains("belongs to several customers");
    }

    @Test
    void with_the_review_option_an_unverified_senders_reply_is_filed_in_drafts_with_the_reason() {
        RecordingErpClient erp = new RecordingErpClient();
        OrderEchoDrafter drafter = new OrderEchoDrafter();
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = pipeline(ledger, source, drafter, erp)
                     .reviewPolicy(ReviewPolicy.builder().mode(ReviewPolicy.Mode.SEND)
                             .unverifiedSenders(UnverifiedSenderAction.REVIEW).build())
                     .build()) {
            pipeline.start();
            deliverThreeCustomers();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    rig.count(ledger, MailState.SENT) == 1 && rig.count(ledger, MailState.REVIEW) == 2);
        }

        assertThat(rig.repliesTo(ADA)).hasSize(1);
        assertThat(rig.repliesTo(BOB)).isEmpty();
        assertThat(rig.repliesTo(CAROL)).isEmpty();
        List<TestMessage> drafts = rig.folder("Drafts");
        assertThat(drafts).hasSize(2).allSatisfy(draft -> {
            assertThat(draft.flags()).contains("\\Draft");
            assertThat(draft.text()).contains("sender not verified").contains("private account data was withheld")
                    .doesNotContain("S00043").doesNotContain("S00044");
        });
        assertThat(drafts).anySatisfy(d -> assertThat(d.text()).contains("Reply-To collector@attacker.example differs from From"));
        assertThat(drafts).anySatisfy(d -> assertThat(d.text()).contains("no Authentication-Results from " + OUR_MX));
    }

    @Test
    void a_verifier_that_fails_on_a_mail_loses_nothing_and_withholds_the_facts() {
        RecordingErpClient erp = new RecordingErpClient();
        OrderEchoDrafter drafter = new OrderEchoDrafter();
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, drafter).erp(erp)
                     .senderVerifier(mail -> {
                         throw new IllegalStateException("broken verifier");
                     })
                     .build()) {
            pipeline.start();
            deliver(ADA, headers("Authentication-Results", OUR_MX + "; dkim=pass header.d=customer.example"));
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 1);
        }

        assertThat(erp.callFor(ADA).verified()).isFalse();
        assertThat(drafter.requestFrom(ADA).customerFacts()).isEmpty();
        assertThat(rig.repliesTo(ADA)).singleElement().extracting(TestMessage::text).asString().doesNotContain("S00042");
    }
}
