package io.ragmail.core;

import io.ragmail.core.imap.ImapDraftsSink;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.core.mistral.MistralDrafter;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.core.template.TemplateDrafter;
import io.ragmail.core.triage.ReplyRateLimit;
import io.ragmail.core.triage.Triage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every builder fails the same way for a missing or invalid setting: an
 * {@link IllegalArgumentException} whose message starts with the setting's name, so a caller (and
 * the daemon's start-up check) can tell the user which setting to fix.
 */
class BuilderSettingsTest {

    static Stream<Arguments> builders() {
        return Stream.of(
                arguments("Pipeline", "source", (Runnable) () -> Pipeline.builder().build()),
                arguments("ImapMailSource", "account", (Runnable) () -> ImapMailSource.builder().build()),
                arguments("SmtpMailSink", "account", (Runnable) () -> SmtpMailSink.builder().build()),
                arguments("ImapDraftsSink", "account", (Runnable) () -> ImapDraftsSink.builder().build()),
                arguments("MistralDrafter", "apiKey", (Runnable) () -> MistralDrafter.builder().build()),
                arguments("TemplateDrafter", "signature", (Runnable) () -> TemplateDrafter.builder().signature(null).build()),
                arguments("LuceneKnowledgeStore", "directory", (Runnable) () -> LuceneKnowledgeStore.builder().build()),
                arguments("RetryPolicy", "initialDelay", (Runnable) () -> RetryPolicy.builder().initialDelay(null).build()),
                arguments("ReviewPolicy", "mode", (Runnable) () -> ReviewPolicy.builder().mode(null).build()),
                arguments("ReviewPolicy", "unverifiedSenders",
                        (Runnable) () -> ReviewPolicy.builder().unverifiedSenders(null).build()),
                arguments("Triage", "ourAddresses", (Runnable) () -> Triage.builder().build()),
                arguments("ReplyRateLimit", "senderWindow",
                        (Runnable) () -> new ReplyRateLimit(3, null, 3, Duration.ofDays(1))));
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("builders")
    void a_missing_setting_is_an_illegal_argument_naming_the_setting(String builder, String setting, Runnable build) {
        assertThatThrownBy(build::run)
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(setting + " ");
    }
}
