package io.ragmail.core.review;

import io.ragmail.core.DraftRequest;
import io.ragmail.core.EvidenceStrength;
import io.ragmail.core.ReviewDecision;
import io.ragmail.core.ledger.Disposition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The review rule on evidence strength measured by the search (the real store's side: MailSearchTest). */
class EvidenceReviewRuleTest {

    private final DefaultReviewPolicy policy = DefaultReviewPolicy.builder().build();

    private static DraftRequest withEvidence(EvidenceStrength evidence) {
        DraftRequest r = Requests.verified();
        return new DraftRequest(r.mail(), r.passages(), r.customerFacts(), r.sender(), r.privateDataWithheld(), evidence);
    }

    @Test
    void weak_evidence_sends_a_confident_grounded_reply_to_review() {
        ReviewDecision decision = policy.decide(withEvidence(new EvidenceStrength(0.1, "en", "best passage kb-shipping")),
                Requests.draft("Acetone ACE-500 costs EUR 1,200.00 per pallet.", 0.99));

        assertThat(decision.disposition()).isEqualTo(Disposition.REVIEW);
        assertThat(decision.reasons()).anyMatch(r -> r.startsWith(String.format(java.util.Locale.ROOT,
                "weak evidence: 0.10 is below %.2f", DefaultReviewPolicy.DEFAULT_MIN_EVIDENCE)));
    }

    @Test
    void strong_evidence_adds_no_reason() {
        ReviewDecision decision = policy.decide(withEvidence(new EvidenceStrength(0.9, "en", "")),
                Requests.draft("Acetone ACE-500 costs EUR 1,200.00 per pallet.", 0.99));

        assertThat(decision.reasons()).noneMatch(r -> r.contains("evidence"));
    }

    @Test
    void a_mail_not_in_english_needs_stronger_evidence() {
        double between = (DefaultReviewPolicy.DEFAULT_MIN_EVIDENCE + DefaultReviewPolicy.DEFAULT_MIN_EVIDENCE_NON_ENGLISH) / 2;

        ReviewDecision german = policy.decide(withEvidence(new EvidenceStrength(between, "de", "")),
                Requests.draft("Acetone ACE-500 costs EUR 1,200.00 per pallet.", 0.99));
        ReviewDecision english = policy.decide(withEvidence(new EvidenceStrength(between, "en", "")),
                Requests.draft("Acetone ACE-500 costs EUR 1,200.00 per pallet.", 0.99));

        assertThat(german.disposition()).isEqualTo(Disposition.REVIEW);
        assertThat(german.reasons()).anyMatch(r -> r.startsWith("weak evidence for a mail in 'de'"));
        assertThat(english.reasons()).noneMatch(r -> r.contains("evidence"));
    }

    @Test
    void evidence_that_was_not_measured_changes_nothing() {
        ReviewDecision decision = policy.decide(Requests.verified(), Requests.draft("Acetone ACE-500 costs EUR 1,200.00 per pallet.", 0.99));

        assertThat(decision.reasons()).noneMatch(r -> r.contains("evidence"));
    }

    @Test
    void thresholds_outside_0_to_1_are_rejected_with_the_setting_named() {
        assertThatThrownBy(() -> DefaultReviewPolicy.builder().minEvidence(1.5).build()).hasMessageContaining("minEvidence");
        assertThatThrownBy(() -> DefaultReviewPolicy.builder().minEvidenceNonEnglish(-0.1).build())
                .hasMessageContaining("minEvidenceNonEnglish");
    }
}
