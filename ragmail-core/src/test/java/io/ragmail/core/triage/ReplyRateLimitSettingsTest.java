package io.ragmail.core.triage;

import io.ragmail.core.ledger.ReplyQuota;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings of {@link ReplyRateLimit} and {@link Triage}; the counting itself is tested against a real ledger. */
class ReplyRateLimitSettingsTest {

    static final Duration DAY = Duration.ofDays(1);

    @Test
    void rejects_limits_below_one() {
        assertThatThrownBy(() -> new ReplyRateLimit(0, DAY, 3, DAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPerSender must be at least 1, was 0");
        assertThatThrownBy(() -> new ReplyRateLimit(3, DAY, -1, DAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPerThread must be at least 1, was -1");
    }

    @Test
    void rejects_windows_that_are_not_positive() {
        assertThatThrownBy(() -> new ReplyRateLimit(3, Duration.ZERO, 3, DAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("senderWindow must be positive, was PT0S");
        assertThatThrownBy(() -> new ReplyRateLimit(3, DAY, 3, Duration.ofHours(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threadWindow must be positive, was PT-1H");
        assertThatThrownBy(() -> new ReplyRateLimit(3, null, 3, DAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("senderWindow must be set, was null");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "P1D,    1 day",
            "P7D,    7 days",
            "PT24H,  1 day",
            "PT12H,  12 hours",
            "PT1H,   1 hour",
            "PT90M,  90 minutes",
            "PT45S,  45 seconds",
            "PT0.5S, 500 milliseconds",
    })
    void windows_are_described_in_the_largest_whole_unit(Duration window, String expected) {
        assertThat(ReplyQuota.describe(window)).isEqualTo(expected);
    }

    @Test
    void triage_needs_one_of_our_addresses_and_valid_limits() {
        assertThatThrownBy(() -> Triage.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ourAddresses");
        assertThatThrownBy(() -> Triage.builder()
                .ourAddresses(List.of(io.ragmail.core.EmailAddress.of("support@shop.example")))
                .maxRepliesPerSender(0)
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRepliesPerSender must be at least 1, was 0");
    }
}
