package io.ragmail.core.mistral.internal;

import io.ragmail.core.TokenPricing;
import io.ragmail.core.TokenUsage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The drafter's parts that need no server: reply parsing, Retry-After, the token budget, pricing. */
class MistralInternalsTest {

    /** A clock the sleeper moves forward: waiting costs no real time. */
    static final class SteppingTime {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        final List<Duration> sleeps = new ArrayList<>();

        Clock clock() {
            return new Clock() {
                @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
                @Override public Clock withZone(java.time.ZoneId zone) { return this; }
                @Override public Instant instant() { return now; }
            };
        }

        void sleep(Duration d) {
            sleeps.add(d);
            now = now.plus(d);
        }
    }

    @Test
    void a_complete_answer_is_parsed_and_fenced_json_is_accepted() {
        DraftJson.Parsed p = DraftJson.parse("```json\n{\"reply\":\"Hallo\",\"language\":\"DE\",\"confidence\":1,"
                + "\"used_sources\":[\"a\",\"a\",\"b\"],\"needs_human\":false,\"reason\":\"ignored\"}\n```");

        assertThat(p.ok()).isTrue();
        assertThat(p.language()).isEqualTo("de");
        assertThat(p.usedSources()).containsExactly("a", "b");
        assertThat(p.reason()).isEmpty();
    }

    @Test
    void answers_breaking_the_contract_are_rejected_with_the_problem_named() {
        String ok = "\"reply\":\"Hi\",\"language\":\"en\",\"confidence\":0.5,\"used_sources\":[],\"needs_human\":false";
        assertThat(DraftJson.parse("").problem()).contains("empty");
        assertThat(DraftJson.parse("Hello there").problem()).contains("not JSON");
        assertThat(DraftJson.parse("[1,2]").problem()).contains("not a JSON object");
        assertThat(DraftJson.parse("{" + ok.replace("\"reply\":\"Hi\"", "\"reply\":\" \"") + "}").problem()).contains("reply");
        assertThat(DraftJson.parse("{" + ok.replace("\"en\"", "\"english\"") + "}").problem()).contains("ISO 639-1");
        assertThat(DraftJson.parse("{" + ok.replace("0.5", "1.5") + "}").problem()).contains("0..1");
        assertThat(DraftJson.parse("{" + ok.replace("0.5", "\"high\"") + "}").problem()).contains("confidence");
        assertThat(DraftJson.parse("{" + ok.replace("[]", "[3]") + "}").problem()).contains("used_sources");
        assertThat(DraftJson.parse("{" + ok.replace("false", "\"no\"") + "}").problem()).contains("needs_human");
        assertThat(DraftJson.parse("{" + ok.replace("false", "true") + "}").reason()).contains("without giving a reason");
    }

    @Test
    void an_answer_without_used_sources_or_with_null_cites_nothing_and_is_usable() {
        String ok = "\"reply\":\"Hi\",\"language\":\"en\",\"confidence\":0.5,\"needs_human\":false";

        assertThat(DraftJson.parse("{" + ok + "}").ok()).isTrue();
        assertThat(DraftJson.parse("{" + ok + "}").usedSources()).isEmpty();
        assertThat(DraftJson.parse("{" + ok + ",\"used_sources\":null}").usedSources()).isEmpty();
        assertThat(DraftJson.parse("{" + ok + ",\"used_sources\":\"kb/a\"}").problem()).contains("used_sources");
    }

    @Test
    void retry_after_is_read_as_seconds_or_as_an_http_date() {
        SteppingTime time = new SteppingTime();
        assertThat(RetryAfter.parse("3", time.clock())).contains(Duration.ofSeconds(3));
        assertThat(RetryAfter.parse("0.25", time.clock())).contains(Duration.ofMillis(250));
        assertThat(RetryAfter.parse("Thu, 01 Jan 2026 00:00:30 GMT", time.clock())).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("soon", time.clock())).isEmpty();
        assertThat(RetryAfter.parse("-1", time.clock())).isEmpty();
    }

    @Test
    void the_token_budget_waits_for_refill_and_is_corrected_by_the_reported_usage() throws Exception {
        SteppingTime time = new SteppingTime();
        TokenBudget budget = new TokenBudget(6_000, time.clock(), time::sleep); // 100 tokens per second

        assertThat(budget.acquire(6_000)).isZero();
        Duration waited = budget.acquire(500);
        assertThat(waited).isBetween(Duration.ofMillis(4_900), Duration.ofMillis(5_100));

        budget.settle(500, 100); // the call used fewer tokens than estimated: 400 come back
        assertThat(budget.available()).isEqualTo(400);
        assertThat(budget.acquire(400)).isZero();
    }

    @Test
    void a_call_larger_than_the_whole_budget_waits_for_a_full_bucket_then_goes() throws Exception {
        SteppingTime time = new SteppingTime();
        TokenBudget budget = new TokenBudget(1_000, time.clock(), time::sleep);
        budget.acquire(1_000);

        Duration waited = budget.acquire(5_000);

        assertThat(waited).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(61));
    }

    @Test
    void an_unlimited_budget_never_waits() throws Exception {
        SteppingTime time = new SteppingTime();
        TokenBudget budget = new TokenBudget(0, time.clock(), time::sleep);
        assertThat(budget.acquire(10_000_000)).isZero();
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void pricing_charges_input_and_output_tokens_per_thousand() {
        TokenPricing pricing = TokenPricing.per1k("0.0001", "0.0003", "USD");

        assertThat(pricing.cost(new TokenUsage(1200, 300))).isEqualByComparingTo(new BigDecimal("0.00021"));
        assertThat(TokenPricing.FREE.cost(new TokenUsage(1_000_000, 1_000_000))).isEqualByComparingTo(BigDecimal.ZERO);
        assertThatThrownBy(() -> TokenPricing.per1k("-1", "0", "EUR")).hasMessageContaining("inputPer1k");
        assertThatThrownBy(() -> TokenPricing.per1k("0", "-0.1", "EUR")).hasMessageContaining("outputPer1k");
    }
}
