package io.ragmail.health;

import io.ragmail.core.Component;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.event.ComponentDownEvent;
import io.ragmail.core.event.LoopHeartbeatEvent;
import io.ragmail.core.event.MailDeadEvent;
import io.ragmail.core.event.MailSkippedEvent;
import io.ragmail.core.event.ReplyDraftedEvent;
import io.ragmail.core.event.ReplyFiledForReviewEvent;
import io.ragmail.core.event.ReplySentEvent;
import io.ragmail.core.ledger.Disposition;
import io.ragmail.core.ledger.SqliteLedger;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard as an operator sees it: rendered by a real headless Chromium (Debian's
 * {@code chromium}, installed by {@code src/test/install-chromium.sh}), with its DOM read back and a
 * screenshot kept in {@code target/dashboard.png}. Skipped, saying so, only where Chromium is absent.
 */
class DashboardBrowserTest {

    static final Instant NOW = Instant.parse("2025-10-11T14:40:00Z");
    static final String TOKEN = "browser-test-token-0123456789";

    static Path chromium;

    @BeforeAll
    static void findChromium() {
        Optional<Path> found = locateChromium();
        Assumptions.assumeTrue(found.isPresent(), "Chromium is not installed (looked for $RAGMAIL_CHROMIUM, chromium, "
                + "chromium-browser, google-chrome on PATH); run ragmail-health/src/test/install-chromium.sh to test the "
                + "dashboard in a real browser");
        chromium = found.get();
    }

    @Test
    void an_operator_sees_status_numbers_chart_and_hostile_subjects_as_plain_text(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(NOW.minus(Duration.ofHours(6)));
        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
                HealthMonitor m = HealthMonitor.builder().clock(clock).ledger(ledger).jvmMetrics(false)
                        .probe(ComponentProbe.of("imap", ProbeResult::up))
                        .probe(ComponentProbe.of("smtp", ProbeResult::up))
                        .probe(ComponentProbe.of("ledger", ProbeResult::up))
                        .components(List.of("imap", "smtp", "mistral", "knowledge", "ledger", "memory"))
                        .build();
                HealthServer server = HealthServer.builder().monitor(m).port(0).token(TOKEN).build().start()) {
            // given: six hours of mail, a mistral outage, and two hostile subjects in the failed-mail queue
            int n = 0;
            for (int hour = 0; hour < 6; hour++) {
                for (int i = 0; i <= hour; i++) {
                    String id = "m" + n++;
                    Instant at = clock.instant().plusSeconds(60L * i);
                    String from = "c" + i + "@customer" + (i % 3) + ".example";
                    m.onReceived(Mails.received(id, from, "Question " + id, at));
                    ledger.admit(Mails.mail(id, from, "Question " + id), at);
                    m.onDrafted(new ReplyDraftedEvent(Mails.key(id), 0.9, new TokenUsage(900, 200), Duration.ofSeconds(2), at));
                    if (i != 4) {
                        ledger.markDrafting(Mails.key(id), at);
                        ledger.storeReply(Mails.key(id), reply(id, from), i % 4 == 3 ? Disposition.REVIEW : Disposition.SEND,
                                new TokenUsage(900, 200), at);
                        ledger.markDelivered(Mails.key(id), at);
                    } else {
                        ledger.markSkipped(Mails.key(id), "auto-reply (RFC 3834)", at);
                    }
                    if (i % 4 == 3) {
                        m.onFiledForReview(new ReplyFiledForReviewEvent(Mails.key(id), "<r" + id + "@us>",
                                List.of("mentions a price"), Duration.ofSeconds(30), at.plusSeconds(30)));
                    } else if (i == 4) {
                        m.onSkipped(new MailSkippedEvent(Mails.key(id), "auto-reply (RFC 3834)", at.plusSeconds(1)));
                    } else {
                        m.onSent(new ReplySentEvent(Mails.key(id), "<r" + id + "@us>", Duration.ofSeconds(25),
                                at.plusSeconds(25)));
                    }
                }
                clock.advance(Duration.ofHours(1));
            }
            for (String[] hostile : new String[][] {{"x1", Mails.SCRIPT_SUBJECT}, {"x2", Mails.IMG_SUBJECT}}) {
                m.onReceived(Mails.received(hostile[0], "eve@evil.example", hostile[1], clock.instant()));
                ledger.admit(Mails.mail(hostile[0], "eve@evil.example", hostile[1]), clock.instant());
                ledger.markDead(Mails.key(hostile[0]), "mistral: 400 prompt rejected", clock.instant());
                m.onDead(new MailDeadEvent(Mails.key(hostile[0]), "mistral", "mistral: 400 prompt rejected",
                        clock.instant()));
            }
            m.onComponentDown(new ComponentDownEvent(Component.MISTRAL, "mistral: 503 Service Unavailable", false,
                    clock.instant().minusSeconds(300)));
            m.onHeartbeat(new LoopHeartbeatEvent(clock.instant()));
            m.refresh();
            HealthSnapshot expected = m.snapshot();

            // when: the page is opened in Chromium, with the token as the browser's Basic credentials
            String url = "http://ops:" + TOKEN + "@127.0.0.1:" + server.getPort() + "/";
            String dom = runChromium(dir, "--dump-dom", url);
            Path screenshot = Path.of("target", "dashboard.png").toAbsolutePath();
            Files.deleteIfExists(screenshot);
            runChromium(dir, "--screenshot=" + screenshot, url);

            // then
            Document page = Jsoup.parse(dom);
            assertThat(page.title()).isEqualTo("ragmail · degraded");
            assertThat(page.body().hasAttr("data-pwned")).as("no injected script ran").isFalse();
            assertThat(page.select("script, img, iframe, [onerror]")).isEmpty();
            assertThat(page.select("#status").text()).isEqualTo("degraded");
            assertThat(tile(page, "processed")).isEqualTo("23").isEqualTo(Long.toString(expected.emailsProcessed()));
            assertThat(tile(page, "sent-today")).isEqualTo(Long.toString(expected.today().sent()));
            assertThat(tile(page, "review-today")).isEqualTo(Long.toString(expected.today().review()));
            assertThat(tile(page, "dead-queue")).isEqualTo("2");
            assertThat(expected.today().sent()).isPositive();
            assertThat(page.select("tr[data-component=mistral] .badge").text()).isEqualTo("down");
            assertThat(page.select("tr[data-component=mistral] td.err").text()).isEqualTo("mistral: 503 Service Unavailable");

            Element svg = page.selectFirst("svg#chart-svg");
            assertThat(svg).isNotNull();
            long drawn = svg.select("rect.bar").stream().mapToLong(r -> Long.parseLong(r.attr("data-count"))).sum();
            long counted = expected.lastDay().stream().mapToLong(c -> c.sent() + c.review() + c.skipped() + c.dead()).sum();
            assertThat(drawn).isEqualTo(counted).isEqualTo(23);
            assertThat(svg.select("rect.bar.dead")).hasSize(1);

            assertThat(page.select("#recent td.subj").eachText()).contains(Mails.SCRIPT_SUBJECT, Mails.IMG_SUBJECT);
            assertThat(page.select("#queue td.subj").eachText())
                    .containsExactlyInAnyOrder(Mails.SCRIPT_SUBJECT, Mails.IMG_SUBJECT);
            assertThat(page.select("#queue input[type=checkbox]")).hasSize(2);
            assertThat(page.select("#queue button")).extracting(Element::text)
                    .containsExactly("Retry selected", "Drop selected");
            assertThat(dom).doesNotContain(TOKEN);

            byte[] png = Files.readAllBytes(screenshot);
            assertThat(png.length).as("screenshot size").isGreaterThan(20_000);
            assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
    }

    private static OutboundReply reply(String id, String to) {
        return new OutboundReply("<r" + id + "@us.example>", EmailAddress.of("support@us.example"), EmailAddress.of(to),
                "Re: Question " + id, Mails.key(id).messageId(), List.of(Mails.key(id).messageId()), "Thank you.", Map.of(),
                List.of());
    }

    private static String tile(Document page, String key) {
        return page.select(".num[data-k=" + key + "]").text();
    }

    private static String runChromium(Path dir, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--window-size=1280,1600", "--virtual-time-budget=3000"));
        command.addAll(List.of(args));
        Path out = dir.resolve("chromium-" + System.nanoTime() + ".out");
        Path err = dir.resolve("chromium-" + System.nanoTime() + ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s: " + tail(err));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("chromium exited with " + p.exitValue() + ": " + tail(err));
        }
        return Files.readString(out);
    }

    private static String tail(Path file) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : "";
        return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    }

    private static Optional<Path> locateChromium() {
        String configured = System.getenv("RAGMAIL_CHROMIUM");
        if (configured != null && !configured.isBlank() && Files.isExecutable(Path.of(configured))) {
            return Optional.of(Path.of(configured));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                    return Optional.of(Path.of(d, name));
                }
            }
        }
        return Optional.empty();
    }
}
