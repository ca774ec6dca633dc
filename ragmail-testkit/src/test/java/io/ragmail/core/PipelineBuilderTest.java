package io.ragmail.core;

import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.testkit.FakeDrafter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link Pipeline.Builder#build()} insists on being told explicitly. */
class PipelineBuilderTest {

    @TempDir
    Path dataDir;
    SqliteLedger ledger;

    @BeforeEach
    void open() {
        ledger = SqliteLedger.open(dataDir.resolve("ledger.db"));
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    /** Everything required except knowledge and the review sink; never started, so the source is never asked. */
    Pipeline.Builder almostComplete() {
        MailSource idle = new MailSource() {
            @Override
            public List<InboundMail> poll(Duration maxWait) {
                return List.of();
            }

            @Override
            public void acknowledge(InboundMail mail, MailOutcome outcome) {
            }
        };
        MailSink nowhere = reply -> { };
        return Pipeline.builder().source(idle).drafter(new FakeDrafter()).sink(nowhere).ledger(ledger)
                .from(EmailAddress.of("support@shop.example"));
    }

    @Test
    void a_pipeline_without_a_knowledge_store_must_say_so() {
        assertThatThrownBy(() -> almostComplete().reviewSink(reply -> { }).build())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("knowledge is required: call .knowledge(store), "
                        + "or .withoutKnowledge() to answer without a knowledge base");
    }

    @Test
    void withoutKnowledge_or_a_store_is_enough() {
        assertThatCode(() -> almostComplete().reviewSink(reply -> { }).withoutKnowledge().build().close())
                .doesNotThrowAnyException();
        assertThatCode(() -> almostComplete().reviewSink(reply -> { }).knowledge(NoopKnowledgeStore.INSTANCE).build().close())
                .doesNotThrowAnyException();
    }

    @Test
    void a_pipeline_without_a_review_sink_must_say_so() {
        assertThatThrownBy(() -> almostComplete().withoutKnowledge().build())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("reviewSink is required: call .reviewSink(sink)")
                .hasMessageContaining(".withoutReviewSink()");
        assertThatCode(() -> almostComplete().withoutKnowledge().withoutReviewSink().build().close())
                .doesNotThrowAnyException();
    }

    @Test
    void the_last_choice_counts() {
        assertThatThrownBy(() -> almostComplete().reviewSink(reply -> { }).withoutKnowledge().knowledge(null).build())
                .hasMessageStartingWith("knowledge is required");
    }

    @Test
    void concurrency_derived_from_the_rate_limit_keeps_every_request_slot_busy_plus_one_worker() {
        assertThat(derived(10, Duration.ofMillis(1200))).isEqualTo(13);
        assertThat(derived(1, Duration.ofSeconds(3))).isEqualTo(4);  // the default rate, a slow model
        assertThat(derived(0.5, Duration.ofSeconds(1))).isEqualTo(2);
        assertThat(derived(10, Duration.ofMillis(1))).isEqualTo(2);   // an instant drafter
        assertThat(derived(1000, Duration.ofSeconds(10))).isEqualTo(Pipeline.MAX_DERIVED_CONCURRENCY);
    }

    @Test
    void a_derived_concurrency_refuses_a_rate_or_time_that_is_not_positive() {
        assertThatThrownBy(() -> almostComplete().concurrencyFor(0, Duration.ofSeconds(1)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("requestsPerSecond ");
        assertThatThrownBy(() -> almostComplete().concurrencyFor(Double.NaN, Duration.ofSeconds(1)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("requestsPerSecond ");
        assertThatThrownBy(() -> almostComplete().concurrencyFor(1, Duration.ZERO))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("timePerMail ");
    }

    @Test
    void the_default_is_four_workers_and_an_explicit_concurrency_given_last_wins() {
        try (Pipeline pipeline = almostComplete().withoutKnowledge().withoutReviewSink().build()) {
            assertThat(pipeline.concurrency()).isEqualTo(Pipeline.DEFAULT_CONCURRENCY);
        }
        try (Pipeline pipeline = almostComplete().withoutKnowledge().withoutReviewSink()
                .concurrencyFor(10, Duration.ofSeconds(1)).concurrency(3).build()) {
            assertThat(pipeline.concurrency()).isEqualTo(3);
        }
    }

    private int derived(double requestsPerSecond, Duration timePerMail) {
        try (Pipeline pipeline = almostComplete().withoutKnowledge().withoutReviewSink()
                .concurrencyFor(requestsPerSecond, timePerMail).build()) {
            return pipeline.concurrency();
        }
    }
}
