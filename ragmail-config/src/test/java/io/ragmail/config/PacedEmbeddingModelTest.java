package io.ragmail.config;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.ragmail.core.Sleeper;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Batches to a remote embedding model are spaced by the plan's requests per second and tokens per minute. */
class PacedEmbeddingModelTest {

    final AtomicLong now = new AtomicLong();
    final List<Duration> slept = new ArrayList<>();
    final Sleeper sleeper = d -> {
        slept.add(d);
        now.addAndGet(d.toNanos());
    };
    final List<Long> calls = new ArrayList<>();
    final EmbeddingModel model = new EmbeddingModel() {
        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            calls.add(now.get());
            return Response.from(segments.stream().map(s -> Embedding.from(new float[] {1f})).toList());
        }

        @Override
        public String modelName() {
            return "mistral-embed";
        }
    };

    @Test
    void requests_are_spaced_by_the_requests_per_second_and_keep_the_models_name() {
        PacedEmbeddingModel paced = new PacedEmbeddingModel(model, 2.0, 1_000_000, now::get, sleeper);

        for (int i = 0; i < 3; i++) {
            paced.embedAll(List.of(TextSegment.from("text")));
        }

        assertThat(calls).containsExactly(0L, 500_000_000L, 1_000_000_000L);
        assertThat(paced.modelName()).isEqualTo("mistral-embed");
    }

    @Test
    void a_batch_waits_for_its_estimated_tokens_and_one_larger_than_a_minutes_budget_still_goes() {
        PacedEmbeddingModel paced = new PacedEmbeddingModel(model, 1000, 1000, now::get, sleeper);
        String text = "x".repeat(2000); // about 500 tokens

        paced.embedAll(List.of(TextSegment.from(text)));
        paced.embedAll(List.of(TextSegment.from(text)));
        paced.embedAll(List.of(TextSegment.from(text)));           // the budget is spent: waits half a minute
        paced.embedAll(List.of(TextSegment.from(text.repeat(4)))); // 2000 tokens: waits for the full 1000, then goes

        assertThat(calls.get(1)).isLessThan(Duration.ofSeconds(1).toNanos());
        assertThat(Duration.ofNanos(calls.get(2) - calls.get(1))).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(31));
        assertThat(Duration.ofNanos(calls.get(3) - calls.get(2))).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(61));
    }
}
