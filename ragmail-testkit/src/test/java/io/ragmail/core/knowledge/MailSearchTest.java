package io.ragmail.core.knowledge;

import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.MailKey;
import io.ragmail.core.Passage;
import io.ragmail.core.ReviewDecision;
import io.ragmail.core.SenderIdentity;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.ledger.Disposition;
import io.ragmail.core.review.DefaultReviewPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mail searched as the pipeline searches it, over the sample corpus in a real Lucene index with the
 * real in-process model: multi-question mails, and evidence strength feeding the review policy.
 */
class MailSearchTest {

    private static AcetoneIndex index;
    private static LuceneKnowledgeStore store;

    @BeforeAll
    static void index() throws IOException {
        index = new AcetoneIndex("mail-search-test");
        store = index.store();
    }

    @AfterAll
    static void close() throws IOException {
        index.close();
    }

    private static InboundMail mail(String subject, String text) {
        return InboundMail.builder().key(new MailKey("INBOX", "<m1@customer.example>"))
                .from(EmailAddress.of("ada@customer.example")).subject(subject).text(text).build();
    }

    private static List<String> ids(List<Passage> passages) {
        return passages.stream().map(Passage::sourceId).toList();
    }

    @Test
    void a_product_code_in_the_first_question_does_not_crowd_out_the_page_the_second_question_needs() {
        InboundMail mail = mail("ACE-500 acetone", """
                Hello,
                Is ACE-500 acetone in 25 L drums in stock, and what does ACE-500 cost per drum?
                If the project is cancelled, can we return unopened products for a credit note?
                Kind regards,
                Ada""");

        MailSearch.Result result = MailSearch.builder().store(store).build().search(mail);

        assertThat(result.queries().parts()).hasSize(2);
        assertThat(ids(result.passages())).contains("product:ACE-500", "faq:returns");
    }

    @Test
    void the_quoted_thread_is_not_searched() {
        InboundMail mail = mail("Re: your order", """
                Where can I download your certificates of analysis?

                On Mon, 3 Mar 2025 at 10:00, Northmoor Sales <sales@northmoor.example> wrote:
                > Your order of ACE-500 ACE-500 ACE-500 acetone ships today by dangerous goods carrier.
                """);

        MailSearch.Result result = MailSearch.builder().store(store).build().search(mail);

        assertThat(result.queries().whole()).doesNotContain("ACE-500");
        assertThat(ids(result.passages()).get(0)).isEqualTo("faq:certificates-of-analysis");
    }

    @Test
    void a_question_the_knowledge_base_cannot_answer_goes_to_review_however_confident_the_model_is() {
        InboundMail mail = mail("Liquid nitrogen", "Can you deliver liquid nitrogen in a dewar to our clinic every week?");

        DraftRequest request = request(mail, MailSearch.builder().store(store).build().search(mail));
        ReviewDecision decision = DefaultReviewPolicy.builder().build()
                .decide(request, confidentDraft(request, "Yes, we deliver liquid nitrogen every week."));

        assertThat(request.evidence().known()).isTrue();
        assertThat(decision.disposition()).isEqualTo(Disposition.REVIEW);
        assertThat(decision.reasons()).anyMatch(r -> r.startsWith("weak evidence"));
    }

    @Test
    void an_answerable_question_has_evidence_above_the_review_threshold() {
        InboundMail mail = mail("Returns", "Can I return unopened products, and is there a restocking fee?");

        MailSearch.Result result = MailSearch.builder().store(store).build().search(mail);

        assertThat(ids(result.passages())).first().isEqualTo("faq:returns");
        assertThat(result.evidence().score()).isGreaterThanOrEqualTo(DefaultReviewPolicy.DEFAULT_MIN_EVIDENCE);
    }

    @Test
    void a_german_question_the_english_index_matches_weakly_goes_to_review() {
        InboundMail mail = mail("Frage", "Können Sie uns flüssigen Stickstoff in einem Dewargefäß liefern?");

        DraftRequest request = request(mail, MailSearch.builder().store(store).build().search(mail));
        ReviewDecision decision = DefaultReviewPolicy.builder().build()
                .decide(request, confidentDraft(request, "Ja, wir liefern flüssigen Stickstoff."));

        assertThat(request.evidence().language()).isEqualTo("de");
        assertThat(decision.disposition()).isEqualTo(Disposition.REVIEW);
        assertThat(decision.reasons()).anyMatch(r -> r.startsWith("weak evidence for a mail in 'de'"));
    }

    @Test
    void a_code_the_page_holds_is_strong_evidence_even_among_greetings_and_an_unknown_code_adds_nothing() {
        MailSearch search = MailSearch.builder().store(store).build();

        MailSearch.Result known = search.search(mail("Quote", "Dear team, please quote 10 x ACE-500 delivered to Antwerp. Thanks in advance."));
        MailSearch.Result unknown = search.search(mail("Quote", "Dear team, please quote 10 x ACE-9000 delivered to Antwerp. Thanks in advance."));

        assertThat(known.passages()).filteredOn(p -> p.sourceId().equals("product:ACE-500"))
                .singleElement().satisfies(p -> assertThat(p.codeMatch()).isEqualTo(1.0));
        assertThat(known.evidence().score()).isGreaterThanOrEqualTo(DefaultReviewPolicy.DEFAULT_MIN_EVIDENCE);
        assertThat(known.evidence().detail()).contains("100% of its codes");
        assertThat(unknown.passages()).allSatisfy(p -> assertThat(p.codeMatch()).isZero());
        assertThat(unknown.evidence().score()).isLessThan(known.evidence().score() - 0.2);
    }

    @Test
    void in_a_german_mail_a_code_the_page_holds_does_not_make_weak_retrieval_look_strong() {
        InboundMail mail = mail("Frage", "Können Sie ACE-500 nach Deutschland liefern, und wie lange dauert die Lieferung?");

        MailSearch.Result result = MailSearch.builder().store(store).build().search(mail);

        // the product is found by its code, but what is asked about it is in words the English index cannot match
        assertThat(result.passages()).anySatisfy(p -> assertThat(p.codeMatch()).isEqualTo(1.0));
        assertThat(result.evidence().language()).isEqualTo("de");
        assertThat(result.evidence().score()).isLessThan(DefaultReviewPolicy.DEFAULT_MIN_EVIDENCE_NON_ENGLISH);
    }

    @Test
    void a_quantity_is_not_a_code() {
        List<Passage> passages = store.search(KnowledgeQuery.of("acetone in a 2.5 L glass bottle, 25kg or 5L"));

        assertThat(passages).allSatisfy(p -> assertThat(p.codeMatch()).isNaN());
    }

    @Test
    void the_store_reports_similarity_and_coverage_with_each_passage() {
        List<Passage> passages = store.search(KnowledgeQuery.of("restocking fee for returned unopened products"));

        assertThat(passages).allSatisfy(p -> {
            assertThat(p.similarity()).isBetween(-1.0, 1.0);
            assertThat(p.queryCoverage()).isBetween(0.0, 1.0);
        });
        assertThat(passages.get(0).sourceId()).isEqualTo("faq:returns");
        assertThat(passages.get(0).queryCoverage()).isGreaterThan(0.8);
    }

    private static DraftRequest request(InboundMail mail, MailSearch.Result result) {
        return new DraftRequest(mail, result.passages(), Optional.empty(),
                new SenderIdentity(mail.from(), true, "dkim=pass"), false, result.evidence());
    }

    /** A confident draft citing the first passage and stating nothing checkable, so only evidence can stop it. */
    private static Draft confidentDraft(DraftRequest request, String text) {
        List<String> cited = request.passages().isEmpty() ? List.of() : List.of(request.passages().get(0).sourceId());
        return new Draft(text, "en", 0.99, cited, false, "", TokenUsage.NONE);
    }
}
