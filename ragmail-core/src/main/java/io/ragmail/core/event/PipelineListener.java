package io.ragmail.core.event;

/**
 * Observes a pipeline: metrics, health, dashboard and alerts are listeners. Every method is a no-op
 * by default; override the ones you need.
 *
 * <p>Listeners are called on the pipeline's threads, so they must be fast and must not block. An
 * exception thrown by a listener is caught and logged; it never reaches the pipeline.
 *
 * <pre>{@code
 * PipelineListener countSent = new PipelineListener() {
 *     @Override public void onSent(ReplySentEvent event) { sent.incrementAndGet(); }
 * };
 * }</pre>
 */
public interface PipelineListener {

    PipelineListener NONE = new PipelineListener() {
    };

    default void onReceived(MailReceivedEvent event) {
    }

    default void onSkipped(MailSkippedEvent event) {
    }

    default void onDrafted(ReplyDraftedEvent event) {
    }

    default void onSent(ReplySentEvent event) {
    }

    default void onFiledForReview(ReplyFiledForReviewEvent event) {
    }

    default void onRetryScheduled(RetryScheduledEvent event) {
    }

    default void onDead(MailDeadEvent event) {
    }

    default void onComponentDown(ComponentDownEvent event) {
    }

    default void onComponentUp(ComponentUpEvent event) {
    }

    /** The fetch loop went once round; a loop that stops calling this is stalled. */
    default void onHeartbeat(LoopHeartbeatEvent event) {
    }

    /** A knowledge sync run (such as Odoo → knowledge store) finished; emitted by whoever runs the sync. */
    default void onKnowledgeSynced(KnowledgeSyncedEvent event) {
    }
}
