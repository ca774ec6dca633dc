package io.ragmail.core.mistral;

import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.ReviewDecision;
import io.ragmail.core.ledger.Disposition;
import io.ragmail.core.review.DefaultReviewPolicy;
import io.ragmail.testkit.mistral.FakeMistralServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model answer without the optional {@code used_sources} is a draft that cites nothing: it is
 * kept (no second, paid call) and the review policy decides what happens to it.
 */
class MistralAnswerWithoutSourcesTest {

    private static final String WITHOUT_SOURCES = "{\"reply\":\"Dear Ada, acetone ACE-1 is in stock.\",\"language\":\"en\","
            + "\"confidence\":0.9,\"needs_human\":false}";

    private final FakeMistralServer mistral = FakeMistralServer.builder().apiKey("sk-test-secret-1234").build();

    @AfterEach
    void stop() {
        mistral.close();
    }

    private MistralDrafter drafter() {
        return MistralDrafter.builder()
                .apiKey("sk-test-secret-1234")
                .baseUrl(mistral.baseUrl())
                .modelName("mistral-small-latest")
                .requestsPerSecond(100)
                .timeout(Duration.ofSeconds(5))
                .initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(100))
                .build();
    }

    @Test
    void an_answer_without_used_sources_is_one_call_and_a_draft_citing_nothing_which_goes_to_review() {
        mistral.replyWith(WITHOUT_SOURCES);
        DraftRequest request = MistralDrafterTest.request("Hello, is ACE-1 in stock?", 3);

        Draft draft = drafter().draft(request);
        ReviewDecision decision = DefaultReviewPolicy.builder().build().decide(request, draft);

        assertThat(mistral.requestCount()).isEqualTo(1);
        assertThat(draft.text()).isEqualTo("Dear Ada, acetone ACE-1 is in stock.");
        assertThat(draft.needsHuman()).isFalse();
        assertThat(draft.usedSourceIds()).isEmpty();
        assertThat(decision.disposition()).isEqualTo(Disposition.REVIEW);
        assertThat(decision.reasons()).anySatisfy(r -> assertThat(r).contains("cites none of the 3 passages"));
    }

    @Test
    void the_same_answer_citing_its_passage_is_sent() {
        mistral.replyWith(WITHOUT_SOURCES.replace("\"needs_human\"", "\"used_sources\":[\"kb/acetone\"],\"needs_human\""));
        DraftRequest request = MistralDrafterTest.request("Hello, is ACE-1 in stock?", 3);

        Draft draft = drafter().draft(request);

        assertThat(mistral.requestCount()).isEqualTo(1);
        assertThat(DefaultReviewPolicy.builder().build().decide(request, draft).disposition()).isEqualTo(Disposition.SEND);
    }
}
