package io.ragmail.examples.drafter;

import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.Passage;

import java.util.List;
import java.util.Optional;

/**
 * Drafts one reply with your model, to see whether it keeps the JSON contract before you put it in a
 * pipeline. With Ollama running {@code ollama pull llama3.1}:
 *
 * <pre>
 * java -cp … io.ragmail.examples.drafter.TryYourModel http://localhost:11434/v1 ollama llama3.1
 * </pre>
 */
public final class TryYourModel {

    private TryYourModel() {
    }

    /** Arguments: base URL, API key, model name. */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: TryYourModel <baseUrl> <apiKey> <modelName>");
            System.exit(2);
        }
        OpenAiCompatibleDrafter drafter = OpenAiCompatibleDrafter.builder()
                .baseUrl(args[0]).apiKey(args[1]).modelName(args[2]).companyName("Example Shop").build();
        InboundMail mail = InboundMail.builder()
                .key(new MailKey("INBOX", "<try-1@customers.example>"))
                .from(EmailAddress.of("ada@customers.example"))
                .subject("Shipping time")
                .text("Hello, how long does it take until my order arrives?")
                .build();
        List<Passage> passages = List.of(new Passage("faq:shipping", "Shipping times",
                "We ship every order within two working days. Express delivery arrives the next day.", 1.0));

        Draft draft = drafter.draft(new DraftRequest(mail, passages, Optional.empty()));

        System.out.println("reply:       " + draft.text());
        System.out.println("language:    " + draft.language() + ", confidence " + draft.confidence());
        System.out.println("sources:     " + draft.usedSourceIds());
        System.out.println("needs human: " + draft.needsHuman() + (draft.needsHuman() ? " (" + draft.humanReason() + ")" : ""));
        System.out.println("tokens:      " + draft.usage().inputTokens() + " in, " + draft.usage().outputTokens() + " out");
    }
}
