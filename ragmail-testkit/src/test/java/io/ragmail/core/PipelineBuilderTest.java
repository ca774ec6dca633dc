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
}
