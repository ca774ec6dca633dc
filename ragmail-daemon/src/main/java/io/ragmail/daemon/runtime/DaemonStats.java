package io.ragmail.daemon.runtime;

import io.ragmail.core.event.ComponentDownEvent;
import io.ragmail.core.event.ComponentUpEvent;
import io.ragmail.core.event.MailDeadEvent;
import io.ragmail.core.event.MailReceivedEvent;
import io.ragmail.core.event.MailSkippedEvent;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.event.ReplyDraftedEvent;
import io.ragmail.core.event.ReplyFiledForReviewEvent;
import io.ragmail.core.event.ReplySentEvent;
import io.ragmail.core.event.RetryScheduledEvent;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the daemon knows about its own work, from pipeline events: today's counts, processing
 * times, tokens and cost (the budget reads this), failures in a row, the last progress (the watchdog
 * reads this) and which component is down since when. Fast and non-blocking, as a listener must be.
 *
 * <pre>{@code
 * DaemonStats stats = new DaemonStats(clock, zone);
 * Pipeline.builder().listener(stats);   // then stats.today(), stats.costToday()
 * }</pre>
 */
public final class DaemonStats implements PipelineListener {

    /** Processing times kept for the percentiles of one day; older ones are dropped first. */
    static final int MAX_SAMPLES = 50_000;

    /** A component that is down. */
    public record Down(String component, String error, boolean critical, Instant since) {
    }

    /** One day's figures, for the summary. */
    public record Day(LocalDate date, long received, long sent, long review, long skipped, long failed, long retries,
                      long inputTokens, long outputTokens, BigDecimal cost, List<Duration> processingTimes) {
    }

    /** Replies filed for review, remembered (in memory, at most this many) to tell which still wait in Drafts. */
    static final int MAX_FILED = 5_000;

    /** A reply filed for review, by its Message-ID. */
    public record Filed(String replyMessageId, Instant at) {
    }

    private final java.util.ArrayDeque<Filed> filed = new java.util.ArrayDeque<>();
    private final Clock clock;
    private final ZoneId zone;
    private final Instant started;
    private final Map<String, Down> down = new ConcurrentHashMap<>();
    private final AtomicInteger failedInARow = new AtomicInteger();
    private volatile Instant lastProgress;
    private volatile Instant lastMail;
    private Day today;
    private long totalProcessed;

    public DaemonStats(Clock clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
        this.started = clock.instant();
        this.lastProgress = started;
        this.today = empty(LocalDate.ofInstant(started, zone));
    }

    private static Day empty(LocalDate date) {
        return new Day(date, 0, 0, 0, 0, 0, 0, 0, 0, BigDecimal.ZERO, new ArrayList<>());
    }

    public Instant started() {
        return started;
    }

    public Instant lastProgress() {
        return lastProgress;
    }

    public Instant lastMail() {
        return lastMail;
    }

    public int failedInARow() {
        return failedInARow.get();
    }

    public synchronized long totalProcessed() {
        return totalProcessed;
    }

    public Map<String, Down> down() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(down));
    }

    /** Today's figures so far (a copy). */
    public synchronized Day today() {
        roll();
        return new Day(today.date(), today.received(), today.sent(), today.review(), today.skipped(), today.failed(),
                today.retries(), today.inputTokens(), today.outputTokens(), today.cost(), List.copyOf(today.processingTimes()));
    }

    /** Ends the current day and starts a new one, returning the one that ended (for the summary). */
    public synchronized Day takeDay() {
        Day ended = today();
        today = empty(LocalDate.ofInstant(clock.instant(), zone));
        return ended;
    }

    /** Today's spending so far. */
    public synchronized BigDecimal costToday() {
        roll();
        return today.cost();
    }

    private void roll() {
        LocalDate now = LocalDate.ofInstant(clock.instant(), zone);
        if (!now.equals(today.date())) {
            today = empty(now);
        }
    }

    private synchronized void count(int received, int sent, int review, int skipped, int failed, int retries,
                                    Duration took, long in, long out, BigDecimal cost) {
        roll();
        List<Duration> times = today.processingTimes();
        if (took != null) {
            if (times.size() >= MAX_SAMPLES) {
                times.remove(0);
            }
            times.add(took);
            totalProcessed++;
        }
        today = new Day(today.date(), today.received() + received, today.sent() + sent, today.review() + review,
                today.skipped() + skipped, today.failed() + failed, today.retries() + retries, today.inputTokens() + in,
                today.outputTokens() + out, cost == null ? today.cost() : today.cost().add(cost), times);
    }

    private void progress() {
        lastProgress = clock.instant();
    }

    @Override
    public void onReceived(MailReceivedEvent event) {
        progress();
        lastMail = event.at();
        count(1, 0, 0, 0, 0, 0, null, 0, 0, null);
    }

    @Override
    public void onSkipped(MailSkippedEvent event) {
        progress();
        count(0, 0, 0, 1, 0, 0, null, 0, 0, null);
    }

    @Override
    public void onDrafted(ReplyDraftedEvent event) {
        progress();
        count(0, 0, 0, 0, 0, 0, null, event.usage().inputTokens(), event.usage().outputTokens(), event.cost());
    }

    @Override
    public void onSent(ReplySentEvent event) {
        progress();
        failedInARow.set(0);
        count(0, 1, 0, 0, 0, 0, event.sinceReceived(), 0, 0, null);
    }

    /** Replies filed for review before {@code before} (oldest first), at most {@code limit}. */
    public synchronized List<Filed> filedBefore(Instant before, int limit) {
        return filed.stream().filter(f -> f.at().isBefore(before)).limit(limit).toList();
    }

    /** Forgets filed replies: handled by a person, or too old to nag about. */
    public synchronized void forget(java.util.Collection<Filed> done) {
        filed.removeAll(done);
    }

    @Override
    public void onFiledForReview(ReplyFiledForReviewEvent event) {
        synchronized (this) {
            if (filed.size() >= MAX_FILED) {
                filed.removeFirst();
            }
            filed.addLast(new Filed(event.replyMessageId(), event.at()));
        }
        progress();
        failedInARow.set(0);
        count(0, 0, 1, 0, 0, 0, event.sinceReceived(), 0, 0, null);
    }

    @Override
    public void onRetryScheduled(RetryScheduledEvent event) {
        progress();
        count(0, 0, 0, 0, 0, 1, null, 0, 0, null);
    }

    @Override
    public void onDead(MailDeadEvent event) {
        progress();
        failedInARow.incrementAndGet();
        count(0, 0, 0, 0, 1, 0, null, 0, 0, null);
    }

    @Override
    public void onComponentDown(ComponentDownEvent event) {
        down.compute(event.component(), (name, was) -> was != null
                ? new Down(name, event.error(), event.critical() || was.critical(), was.since())
                : new Down(name, event.error(), event.critical(), event.at()));
    }

    @Override
    public void onComponentUp(ComponentUpEvent event) {
        down.remove(event.component());
    }

    /** Marks a daemon-side component (a sync, the health server) down or up, as pipeline events do. */
    public void componentDown(String component, String error, boolean critical) {
        onComponentDown(new ComponentDownEvent(component, error, critical, clock.instant()));
    }

    public void componentUp(String component) {
        down.remove(component);
    }
}
