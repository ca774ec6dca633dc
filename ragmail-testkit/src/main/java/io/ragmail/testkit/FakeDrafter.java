package io.ragmail.testkit;

import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.Drafter;
import io.ragmail.core.Passage;
import io.ragmail.core.TokenUsage;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic {@link Drafter} for tests and demos: no model, the same input always gives the same
 * reply. It thanks the sender, names the subject and quotes the titles of the passages it was given.
 * It counts its calls, so a test can tell how often mail was drafted.
 *
 * <pre>{@code
 * FakeDrafter drafter = new FakeDrafter();           // confident: replies are sent
 * FakeDrafter unsure = new FakeDrafter(0.2);         // below the default threshold: filed for review
 * }</pre>
 */
public final class FakeDrafter implements Drafter {

    private final double confidence;
    private final AtomicInteger calls = new AtomicInteger();

    public FakeDrafter() {
        this(1.0);
    }

    public FakeDrafter(double confidence) {
        this.confidence = confidence;
    }

    @Override
    public Draft draft(DraftRequest request) {
        calls.incrementAndGet();
        StringBuilder text = new StringBuilder();
        String name = request.mail().from().displayName();
        text.append(name.isEmpty() ? "Hello," : "Hello " + name + ",").append("\n\n");
        text.append("thank you for your message");
        if (!request.mail().subject().isBlank()) {
            text.append(" about \"").append(request.mail().subject()).append('"');
        }
        text.append(".\n");
        List<Passage> passages = request.passages();
        if (!passages.isEmpty()) {
            text.append("\nThese pages may help:\n");
            passages.forEach(p -> text.append("- ").append(p.title().isEmpty() ? p.sourceId() : p.title()).append('\n'));
        }
        text.append("\nKind regards,\nthe ragmail test drafter\n");
        List<String> used = passages.stream().map(Passage::sourceId).toList();
        long inputTokens = request.mail().text().length() / 4 + 50;
        return new Draft(text.toString(), "en", confidence, used, false, "", new TokenUsage(inputTokens, text.length() / 4));
    }

    /** How many drafts were made so far. */
    public int calls() {
        return calls.get();
    }
}
