package io.ragmail.core.template;

import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.Drafter;
import io.ragmail.core.ErpRecord;
import io.ragmail.core.Passage;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.internal.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The offline default {@link Drafter}, used when no language model is configured: an honest reply
 * without a model. It thanks the sender, quotes the best matching passages with their titles, says
 * nothing it was not given (the sender's own orders, invoices or deliveries only when the mail names
 * their reference, such as {@code S00042}), and, when the sender's private data was withheld, asks them to write
 * from their registered address. It writes English, or German or French when the mail clearly is
 * (a count of common words, no more).
 *
 * <p>Its drafts ask for a human ({@value #TEMPLATE_REASON}) unless {@link Builder#autoSend(boolean)}
 * is on, in which case they are marked fully confident and may be sent by the review policy.
 *
 * <pre>{@code
 * Drafter drafter = TemplateDrafter.builder().signature("Your ACME support team").build();
 * }</pre>
 */
public final class TemplateDrafter implements Drafter {

    public static final String TEMPLATE_REASON = "template reply (no language model configured)";
    public static final int DEFAULT_MAX_PASSAGES = 3;
    public static final int DEFAULT_MAX_QUOTE_CHARS = 600;
    /** Confidence of a template draft when it is not auto-sent: below the default review threshold. */
    public static final double DEFAULT_CONFIDENCE = 0.5;

    private static final Set<String> EN = Set.of("the", "and", "is", "are", "i", "you", "we", "not", "with", "for",
            "please", "have", "to", "of", "on", "your", "can", "could", "would", "thanks", "thank", "hello", "what", "my");
    private static final Set<String> DE = Set.of("der", "die", "das", "und", "ist", "sind", "ich", "sie", "wir", "nicht",
            "mit", "für", "bitte", "haben", "zu", "den", "von", "auf", "ihre", "können", "danke", "hallo", "guten", "ein", "eine", "mein");
    private static final Set<String> FR = Set.of("le", "la", "les", "et", "est", "sont", "je", "vous", "nous", "pas",
            "avec", "pour", "merci", "bonjour", "une", "des", "du", "sur", "que", "qui", "votre", "pouvez", "mon", "ma");
    private static final Pattern WORDS = Pattern.compile("[^\\p{L}]+");

    private record Texts(String hello, String helloNamed, String thanks, String about, String found, String nothing,
            String privateData, String followUp, String regards, String records) {
    }

    private static final Map<String, Texts> TEXTS = Map.of(
            "en", new Texts("Hello,", "Hello %s,", "thank you for your message", " about \"%s\"",
                    "Here is what we found on the subject:", "We have received it and will get back to you.",
                    "For questions about your orders or your account, please write to us from the e-mail address "
                            + "registered with us, so that we can be sure it is you.",
                    "If this does not answer your question, a member of our team will get back to you.", "Kind regards,",
                    "This is what we have on record:"),
            "de", new Texts("Guten Tag,", "Guten Tag %s,", "vielen Dank für Ihre Nachricht", " zu \"%s\"",
                    "Folgendes haben wir dazu gefunden:", "Wir haben sie erhalten und melden uns bei Ihnen.",
                    "Für Fragen zu Ihren Bestellungen oder Ihrem Kundenkonto schreiben Sie uns bitte von der bei uns "
                            + "hinterlegten E-Mail-Adresse, damit wir sicher sein können, dass Sie es sind.",
                    "Falls Ihre Frage damit nicht beantwortet ist, meldet sich jemand aus unserem Team bei Ihnen.",
                    "Mit freundlichen Grüßen", "Folgendes ist bei uns dazu erfasst:"),
            "fr", new Texts("Bonjour,", "Bonjour %s,", "merci pour votre message", " concernant « %s »",
                    "Voici ce que nous avons trouvé à ce sujet :", "Nous l'avons bien reçu et reviendrons vers vous.",
                    "Pour toute question sur vos commandes ou votre compte, merci de nous écrire depuis l'adresse "
                            + "e-mail enregistrée chez nous, afin que nous puissions vérifier qu'il s'agit bien de vous.",
                    "Si cela ne répond pas à votre question, un membre de notre équipe reviendra vers vous.",
                    "Cordialement,", "Voici ce que nous avons enregistré :"));

    private final int maxPassages;
    private final int maxQuoteChars;
    private final boolean autoSend;
    private final String signature;
    private final boolean guessLanguage;

    private TemplateDrafter(Builder b) {
        this.maxPassages = b.maxPassages;
        this.maxQuoteChars = b.maxQuoteChars;
        this.autoSend = b.autoSend;
        this.signature = b.signature;
        this.guessLanguage = b.guessLanguage;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Draft draft(DraftRequest request) {
        String language = guessLanguage ? guessLanguage(request.mail().subject() + " " + request.mail().queryText()) : "en";
        Texts t = TEXTS.get(language);
        StringBuilder text = new StringBuilder();
        String name = request.mail().from().displayName();
        boolean usableName = !name.isBlank() && name.length() <= 60 && name.chars().noneMatch(Character::isISOControl);
        text.append(usableName ? String.format(t.helloNamed(), name) : t.hello()).append("\n\n");
        text.append(t.thanks());
        String subject = request.mail().subject().strip();
        if (!subject.isEmpty() && subject.length() <= 200) {
            text.append(String.format(t.about(), subject));
        }
        text.append(".\n\n");
        List<ErpRecord> mentioned = recordsMentioned(request);
        if (!mentioned.isEmpty()) {
            text.append(t.records()).append("\n\n");
            for (ErpRecord record : mentioned) {
                text.append("- ").append(record.kind()).append(' ').append(record.reference());
                record.fields().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(f -> text.append("\n  ").append(f.getKey()).append(": ").append(f.getValue()));
                text.append('\n');
            }
            text.append('\n');
        }
        List<String> used = new ArrayList<>();
        List<Passage> best = request.passages().stream().limit(maxPassages).toList();
        if (best.isEmpty()) {
            text.append(t.nothing()).append("\n\n");
        } else {
            text.append(t.found()).append("\n\n");
            for (Passage passage : best) {
                String title = passage.title().isBlank() ? passage.sourceId() : passage.title().strip();
                text.append(title).append('\n');
                for (String line : quote(withoutHeading(passage.text(), title)).split("\n")) {
                    text.append("> ").append(line).append('\n');
                }
                text.append('\n');
                used.add(passage.sourceId());
            }
        }
        if (request.privateDataWithheld()) {
            text.append(t.privateData()).append("\n\n");
        }
        if (!best.isEmpty()) {
            text.append(t.followUp()).append("\n\n");
        }
        text.append(t.regards());
        if (!signature.isBlank()) {
            text.append('\n').append(signature);
        }
        text.append('\n');
        double confidence = autoSend ? 1.0 : DEFAULT_CONFIDENCE;
        return new Draft(text.toString(), language, confidence, used, !autoSend, autoSend ? "" : TEMPLATE_REASON, TokenUsage.NONE);
    }

    /**
     * The sender's own records (orders, invoices, deliveries) whose reference the mail names, such as
     * {@code S00042}: a template cannot tell which other record a question is about, so it tells none.
     */
    private static List<ErpRecord> recordsMentioned(DraftRequest request) {
        if (request.customerFacts().isEmpty()) {
            return List.of();
        }
        String mail = (request.mail().subject() + "\n" + request.mail().queryText()).toLowerCase(Locale.ROOT);
        return request.customerFacts().get().records().stream()
                .filter(r -> r.reference().length() >= 3 && mail.contains(r.reference().toLowerCase(Locale.ROOT)))
                .limit(DEFAULT_MAX_PASSAGES)
                .toList();
    }

    /** The passage without a first line that only repeats its title (a Markdown heading, say). */
    private static String withoutHeading(String text, String title) {
        String s = text.stripLeading();
        int end = s.indexOf('\n');
        String first = (end < 0 ? s : s.substring(0, end)).replaceFirst("^#+\\s*", "").strip();
        return first.equals(title) && end >= 0 ? s.substring(end + 1) : text;
    }

    /** The passage, shortened to whole words within the limit. */
    private String quote(String passage) {
        String s = passage.strip().replace("\r\n", "\n");
        if (s.length() <= maxQuoteChars) {
            return s;
        }
        int cut = s.lastIndexOf(' ', maxQuoteChars);
        return s.substring(0, cut > maxQuoteChars / 2 ? cut : maxQuoteChars).strip() + " …";
    }

    /**
     * {@code "de"} or {@code "fr"} when clearly more of the text's words are common German or French
     * words than English ones (at least 3, and twice as many); {@code "en"} otherwise.
     */
    static String guessLanguage(String text) {
        int en = 0;
        int de = 0;
        int fr = 0;
        for (String word : WORDS.split(text.toLowerCase(Locale.ROOT))) {
            if (EN.contains(word)) {
                en++;
            }
            if (DE.contains(word)) {
                de++;
            }
            if (FR.contains(word)) {
                fr++;
            }
        }
        if (de >= 3 && de >= 2 * en && de > fr) {
            return "de";
        }
        if (fr >= 3 && fr >= 2 * en && fr > de) {
            return "fr";
        }
        return "en";
    }

    /** Settings of a {@link TemplateDrafter}; see each method for its default. */
    public static final class Builder {
        private int maxPassages = DEFAULT_MAX_PASSAGES;
        private int maxQuoteChars = DEFAULT_MAX_QUOTE_CHARS;
        private boolean autoSend;
        private String signature = "";
        private boolean guessLanguage = true;

        /** How many of the best passages to quote; default {@value TemplateDrafter#DEFAULT_MAX_PASSAGES}. */
        public Builder maxPassages(int maxPassages) { this.maxPassages = maxPassages; return this; }

        /** Longest quote per passage, in characters; default {@value TemplateDrafter#DEFAULT_MAX_QUOTE_CHARS}. */
        public Builder maxQuoteChars(int maxQuoteChars) { this.maxQuoteChars = maxQuoteChars; return this; }

        /** Let template replies be sent without review (confidence 1, no human asked for); default false. */
        public Builder autoSend(boolean autoSend) { this.autoSend = autoSend; return this; }

        /** Lines after the closing, such as the team's name; default none. */
        public Builder signature(String signature) { this.signature = signature; return this; }

        /** Reply in German or French when the mail clearly is; default true (otherwise always English). */
        public Builder guessLanguage(boolean guess) { this.guessLanguage = guess; return this; }

        public TemplateDrafter build() {
            if (maxPassages < 0) {
                throw new IllegalArgumentException("maxPassages must not be negative, was " + maxPassages);
            }
            if (maxQuoteChars < 20) {
                throw new IllegalArgumentException("maxQuoteChars must be at least 20, was " + maxQuoteChars);
            }
            Settings.required(signature, "signature");
            return new TemplateDrafter(this);
        }
    }
}
