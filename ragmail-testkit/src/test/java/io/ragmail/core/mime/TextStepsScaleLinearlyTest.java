package io.ragmail.core.mime;

import com.sun.management.ThreadMXBean;
import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.Passage;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.review.GroundingCheck;
import io.ragmail.core.triage.Triage;
import io.ragmail.core.triage.TriageDecision;
import io.ragmail.testkit.mail.AdversarialText;
import io.ragmail.testkit.mail.AdversarialText.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Every text step a mail goes through (parse, quote stripping, triage, grounding check) finishes in
 * bounded time and allocation on generated adversarial input up to the text cap
 * ({@link MimeMailParser#DEFAULT_MAX_TEXT_BYTES}, 2 MiB; the parser reads no more of a text part).
 *
 * <p>Bound: {@value #SECONDS_PER_MAIL} s per mail, preemptive. After the fix each mail takes well
 * under a second (see {@code docs/benchmarks.md}); before it, 80 KB of blanks took ~10 s and the
 * 2 MiB inputs here take hours, so the bound separates linear from quadratic with a wide margin even
 * on a loaded machine. Allocation: at most {@value #ALLOCATED_BYTES_PER_INPUT_BYTE} bytes allocated
 * per byte of mail (plus 64 MiB), which a copy per step allows and a copy per line or per match does not.
 */
class TextStepsScaleLinearlyTest {

    static final int SECONDS_PER_MAIL = 20;
    static final long ALLOCATED_BYTES_PER_INPUT_BYTE = 200;
    private static final int SIZE = MimeMailParser.DEFAULT_MAX_TEXT_BYTES;
    private static final long[] SEEDS = {1, 2};

    @TempDir
    static Path dir;
    private static SqliteLedger ledger;
    private final MimeMailParser parser = MimeMailParser.create();
    private final Triage triage = Triage.builder().ourAddresses(List.of(EmailAddress.of("support@shop.example"))).build();
    private final GroundingCheck grounding = GroundingCheck.standard();

    @BeforeAll
    static void openLedger() {
        ledger = SqliteLedger.open(dir.resolve("ledger.db"));
    }

    @AfterAll
    static void closeLedger() {
        ledger.close();
    }

    static Stream<Arguments> generated() {
        List<Arguments> cases = new ArrayList<>();
        for (Shape shape : Shape.values()) {
            for (long seed : SEEDS) {
                cases.add(Arguments.of(shape, seed));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("generated")
    void a_mail_of_generated_text_is_parsed_triaged_and_checked_in_bounded_time_and_memory(Shape shape, long seed) {
        String body = AdversarialText.text(shape, SIZE, seed);
        String subject = AdversarialText.text(shape, 64 * 1024, seed + 100);
        byte[] raw = AdversarialText.mail(subject, body, seed);

        long allocated = assertTimeoutPreemptively(Duration.ofSeconds(SECONDS_PER_MAIL), () -> {
            long before = allocatedBytes();
            InboundMail mail = parser.parse(raw);
            TriageDecision decision = triage.decide(mail, ledger, Instant.parse("2025-03-03T10:00:00Z"));
            // the reply is as adversarial as the mail: a model can be made to echo anything back
            Draft draft = new Draft(body, "en", 0.9, List.of("kb-1"), false, "", TokenUsage.NONE);
            DraftRequest request = new DraftRequest(mail,
                    List.of(new Passage("kb-1", "Acetone", AdversarialText.text(shape, 4_000, seed), 0.9)), Optional.empty());
            List<String> problems = grounding.problems(request, draft);

            assertThat(mail.unreadable()).isEmpty();
            assertThat(mail.text()).isNotEmpty();
            assertThat(decision).isNotNull();
            assertThat(problems).isNotNull();
            return allocatedBytes() - before;
        }, () -> shape + " seed " + seed + " took longer than " + SECONDS_PER_MAIL + " s");

        assertThat(allocated)
                .as("bytes allocated for a %d-byte %s mail", raw.length, shape)
                .isLessThan(ALLOCATED_BYTES_PER_INPUT_BYTE * raw.length + 64L * 1024 * 1024);
    }

    private static long allocatedBytes() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
