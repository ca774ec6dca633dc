package io.ragmail.core.review;

import io.ragmail.core.Draft;
import io.ragmail.core.ReviewDecision;
import io.ragmail.core.ReviewPolicy;
import io.ragmail.core.ReviewPolicy.Mode;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.ledger.Disposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.ragmail.core.review.Requests.draft;
import static io.ragmail.core.review.Requests.mail;
import static io.ragmail.core.review.Requests.verified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DefaultReviewPolicyTest {

    private static final String GOOD = "Hello Ada, acetone ACE-500 costs EUR 1,200.00 per pallet. Kind regards";

    private final ReviewPolicy policy = ReviewPolicy.builder().build();

    @Test
    void a_grounded_confident_draft_on_an_ordinary_topic_is_sent() {
        ReviewDecision decision = policy.decide(verified(), draft(GOOD, 0.9));

        assertThat(decision.disposition()).isEqualTo(Disposition.SEND);
        assertThat(decision.reasons()).isEmpty();
    }

    @Test
    void the_default_threshold_is_0_7_inclusive() {
        assertThat(policy.decide(verified(), draft(GOOD, 0.7)).disposition()).isEqualTo(Disposition.SEND);
        assertThat(policy.decide(verified(), draft(GOOD, 0.69)).reasons()).containsExactly("confidence 0.69 is below 0.70");
    }

    @Test
    void the_threshold_is_configurable() {
        ReviewPolicy strict = ReviewPolicy.builder().confidenceThreshold(0.95).build();

        assertThat(strict.decide(verified(), draft(GOOD, 0.9)).reasons()).containsExactly("confidence 0.90 is below 0.95");
    }

    @Test
    void a_draft_asking_for_a_human_goes_to_review_with_its_reason() {
        Draft draft = new Draft(GOOD, "en", 0.95, List.of(), true, "the customer asks for a quote over 10 pallets", TokenUsage.NONE);

        assertThat(policy.decide(verified(), draft).reasons()).containsExactly("the customer asks for a quote over 10 pallets");
    }

    @Test
    void an_ungrounded_draft_goes_to_review_naming_what_is_invented() {
        ReviewDecision decision = policy.decide(verified(), draft("Acetone costs EUR 990.00 per pallet.", 0.95));

        assertThat(decision.disposition()).isEqualTo(Disposition.REVIEW);
        assertThat(decision.reasons()).singleElement().asString().startsWith("not grounded: price \"EUR 990.00\"");
    }

    @Test
    void grounding_can_be_turned_off() {
        ReviewPolicy trusting = ReviewPolicy.builder().grounding(false).build();

        assertThat(trusting.decide(verified(), draft("Acetone costs EUR 990.00 per pallet.", 0.95)).disposition())
                .isEqualTo(Disposition.SEND);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "I want to complain about the last delivery.|complaint|complain",
            "This is a formal Complaint.|complaint|Complaint",
            "Ich möchte mich beschweren, die Ware war beschädigt.|complaint|beschweren",
            "Je souhaite faire une réclamation.|complaint|réclamation",
            "Our lawyer will contact you.|legal|lawyer",
            "Unser Rechtsanwalt meldet sich.|legal|Rechtsanwalt",
            "Please cancel order S00042.|cancellation|cancel",
            "Bitte stornieren Sie die Bestellung.|cancellation|stornieren",
            "Je voudrais annuler ma commande.|cancellation|annuler",
            "A worker was injured when a drum leaked.|safety incident|injured",
            "Ein Mitarbeiter hatte einen Unfall mit dem Produkt.|safety incident|Unfall",
            "Un employé a été blessé.|safety incident|blessé"})
    void a_mail_on_an_always_review_topic_goes_to_review(String text, String topic, String word) {
        ReviewDecision decision = policy.decide(verified(mail("Acetone", text)), draft(GOOD, 0.95));

        assertThat(decision.disposition()).isEqualTo(Disposition.REVIEW);
        assertThat(decision.reasons()).contains("always-review topic " + topic + ": the mail says \"" + word + "\"");
    }

    @Test
    void a_draft_that_brings_up_a_topic_goes_to_review_too() {
        ReviewDecision decision = policy.decide(verified(), draft(GOOD + " You may cancel at any time.", 0.95));

        assertThat(decision.reasons()).containsExactly("always-review topic cancellation: the reply says \"cancel\"");
    }

    @Test
    void keywords_match_whole_words_only() {
        assertThat(ReviewTopic.CANCELLATION.findIn("Are the drums uncancellable once shipped?")).isEmpty();
        assertThat(ReviewTopic.LEGAL.findIn("Can ACE-500 be used to clean a courtyard? Avoid misuse.")).isEmpty();
        assertThat(ReviewTopic.LEGAL.findIn("We will take legal\n action.")).contains("legal\n action");
        assertThat(ReviewTopic.COMPLAINT.findIn("complaining again")).contains("complaining");
    }

    @Test
    void topics_are_configurable_and_can_be_switched_off() {
        ReviewPolicy recalls = ReviewPolicy.builder().alwaysReviewTopics(List.of(ReviewTopic.of("recall", "recall*", "rückruf*"))).build();
        ReviewPolicy none = ReviewPolicy.builder().alwaysReviewTopics(List.of()).build();

        assertThat(recalls.decide(verified(mail("Rückrufaktion?", "Betrifft das ACE-500?")), draft(GOOD, 0.9)).reasons())
                .containsExactly("always-review topic recall: the mail says \"Rückrufaktion\"");
        assertThat(recalls.decide(verified(mail("Complaint", "I want to complain")), draft(GOOD, 0.9)).disposition())
                .isEqualTo(Disposition.SEND);
        assertThat(none.decide(verified(mail("Complaint", "I want to complain")), draft(GOOD, 0.9)).disposition())
                .isEqualTo(Disposition.SEND);
    }

    @Test
    void every_reason_is_listed_for_the_reviewer() {
        Draft draft = new Draft("Sorry! Order S09999 is refunded, EUR 50.", "en", 0.4, List.of("kb-x"), true, "unsure", TokenUsage.NONE);

        ReviewDecision decision = policy.decide(verified(mail("Complaint", "I complain.")), draft);

        assertThat(decision.reasons()).containsExactly(
                "unsure",
                "confidence 0.40 is below 0.70",
                "not grounded: cites passage \"kb-x\", which it was not given",
                "not grounded: order number \"S09999\" is not in the customer's facts",
                "not grounded: price \"EUR 50\" is not in the passages, the customer's facts or the customer's mail",
                "always-review topic complaint: the mail says \"Complaint\"");
    }

    @Test
    void review_mode_files_every_draft_and_still_lists_the_reasons() {
        ReviewPolicy review = ReviewPolicy.builder().mode(Mode.REVIEW).build();

        assertThat(review.decide(verified(), draft(GOOD, 0.95)).reasons()).containsExactly("review mode: every reply is reviewed");
        assertThat(review.decide(verified(), draft(GOOD, 0.5)).reasons())
                .containsExactly("review mode: every reply is reviewed", "confidence 0.50 is below 0.70");
        assertThat(review.decide(verified(), draft(GOOD, 1.0)).disposition()).isEqualTo(Disposition.REVIEW);
    }

    @Test
    void an_unverified_known_sender_is_answered_without_private_data_by_default() {
        ReviewDecision decision = policy.decide(Requests.unverified(), draft(GOOD, 0.9));

        assertThat(decision.disposition()).isEqualTo(Disposition.SEND);
    }

    @Test
    void an_unverified_known_sender_goes_to_review_when_so_configured_with_the_reason() {
        ReviewPolicy careful = ReviewPolicy.builder().unverifiedSenders(UnverifiedSenderAction.REVIEW).build();

        ReviewDecision decision = careful.decide(Requests.unverified(), draft(GOOD, 0.9));

        assertThat(decision.disposition()).isEqualTo(Disposition.REVIEW);
        assertThat(decision.reasons()).containsExactly("sender not verified (no Authentication-Results from mx.shop.example): "
                + "the customer's private account data was withheld");
        assertThat(careful.decide(verified(), draft(GOOD, 0.9)).disposition()).isEqualTo(Disposition.SEND);
    }

    @Test
    void a_draft_for_review_tells_the_reviewer_that_private_data_was_withheld() {
        ReviewDecision decision = policy.decide(Requests.unverified(), draft(GOOD, 0.2));

        assertThat(decision.reasons()).containsExactly("confidence 0.20 is below 0.70",
                "sender not verified (no Authentication-Results from mx.shop.example): the customer's private account data was withheld");
    }

    @Test
    void send_when_confident_checks_confidence_only() {
        ReviewPolicy confident = ReviewPolicy.sendWhenConfident(0.8);

        assertThat(confident.decide(verified(mail("Complaint", "I complain")), draft("EUR 5", 0.8)).disposition())
                .isEqualTo(Disposition.SEND);
        assertThat(confident.decide(verified(), draft(GOOD, 0.79)).disposition()).isEqualTo(Disposition.REVIEW);
    }

    @Test
    void the_builder_names_the_bad_setting() {
        assertThatThrownBy(() -> ReviewPolicy.builder().confidenceThreshold(1.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("confidenceThreshold must be within 0..1, was 1.5");
        assertThatThrownBy(() -> ReviewPolicy.builder().mode(null).build()).hasMessageContaining("mode");
        assertThatThrownBy(() -> ReviewTopic.of("empty")).hasMessageContaining("topic 'empty' needs at least one keyword");
    }
}
