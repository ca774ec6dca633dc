package io.ragmail.core.verify;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailHeaders;
import io.ragmail.core.SenderIdentity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies senders from the {@code Authentication-Results} header (RFC 8601) that <em>our own</em>
 * receiving server adds, recognised by its configured authserv-id. A sender is verified when that
 * server reports {@code dmarc=pass} with {@code header.from} equal to the {@code From} domain, or
 * {@code dkim=pass} for a signing domain ({@code header.d}, or the domain of {@code header.i})
 * aligned with the {@code From} domain, and no {@code dmarc=fail}.
 *
 * <p><b>Which headers are trusted.</b> Anyone can write an {@code Authentication-Results} header into
 * a mail, also one with our authserv-id. Our server adds its header on top, above the
 * {@code Received} line of the hop that brought the mail in; so only the topmost
 * {@code Authentication-Results} header of the mail counts, and only when it carries our
 * authserv-id (with further ones of ours directly below it, before the next {@code Received} line).
 * When the topmost one is another server's, or our server added none, a header with our authserv-id
 * further down is a forgery and the sender is unverified. A header with our authserv-id below a
 * {@code Received} line whose {@code by} host is one of our authserv-ids (our server's own hop) was
 * written before the mail reached us, so it is ignored even when it is the only one. (RFC 8601 section 5 asks border servers to
 * delete forged ones; we do not rely on it.)
 *
 * <p><b>Alignment.</b> DKIM's domain counts as aligned when it equals the {@code From} domain or
 * one is a subdomain of the other ({@code d=example.com} for {@code From: a@mail.example.com}). This
 * stands in for DMARC's relaxed alignment without the Public Suffix List; it is stricter in one
 * case: sibling subdomains ({@code d=news.example.com} for {@code a@shop.example.com}) are not
 * aligned here although DMARC would accept them.
 *
 * <p><b>Reply-To.</b> A {@code Reply-To} with an address other than {@code From} makes the sender
 * unverified, whatever the authentication says ({@link Builder#checkReplyTo(boolean)}).
 *
 * <pre>{@code
 * SenderVerifier verifier = AuthenticationResultsVerifier.builder()
 *         .authservId("mx.shop.example")
 *         .build();
 * }</pre>
 */
public final class AuthenticationResultsVerifier implements SenderVerifier {

    static final String HEADER = "Authentication-Results";

    private final Set<String> authservIds;
    private final boolean checkReplyTo;

    private AuthenticationResultsVerifier(Builder b) {
        this.authservIds = Set.copyOf(b.authservIds);
        this.checkReplyTo = b.checkReplyTo;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SenderIdentity verify(InboundMail mail) {
        EmailAddress from = mail.from();
        String domain = from.domain();
        if (domain.isEmpty()) {
            return unverified(from, "no From address");
        }
        if (checkReplyTo) {
            for (EmailAddress replyTo : mail.replyTo()) {
                if (!replyTo.sameMailboxAs(from)) {
                    return unverified(from, "Reply-To " + replyTo.address() + " differs from From");
                }
            }
        }
        List<AuthenticationResults> ours = ourHeaders(mail.headers());
        if (ours.isEmpty()) {
            return unverified(from, "no Authentication-Results from " + String.join("/", authservIds));
        }
        String passed = null;
        for (AuthenticationResults header : ours) {
            for (AuthenticationResults.Result result : header.results()) {
                if (result.method().equals("dmarc")) {
                    String headerFrom = result.property("header.from").orElse("").toLowerCase(Locale.ROOT);
                    if (result.result().equals("fail")) {
                        return unverified(from, "dmarc=fail header.from=" + headerFrom);
                    }
                    if (result.result().equals("pass") && headerFrom.equals(domain) && passed == null) {
                        passed = "dmarc=pass header.from=" + headerFrom;
                    }
                } else if (result.method().equals("dkim") && result.result().equals("pass") && passed == null) {
                    Optional<String> signer = signingDomain(result);
                    if (signer.isPresent() && aligned(signer.get(), domain)) {
                        passed = "dkim=pass header.d=" + signer.get();
                    }
                }
            }
        }
        return passed != null ? new SenderIdentity(from, true, passed)
                : unverified(from, "no passing DKIM or DMARC for " + domain);
    }

    /**
     * The topmost Authentication-Results header when it is ours, and ours directly below it up to the
     * next Received line; none when the topmost one is not ours (then any of ours lower down is forged).
     */
    private List<AuthenticationResults> ourHeaders(MailHeaders headers) {
        List<AuthenticationResults> ours = new ArrayList<>();
        boolean seenAny = false;
        for (MailHeaders.Field field : headers.fields()) {
            String name = field.name().trim();
            if (name.equalsIgnoreCase("Received") && (!ours.isEmpty() || receivedByUs(field.value()))) {
                // Below the Received line our own server added, every header was written before the
                // mail reached us: one with our authserv-id there is forged, also when ours added none.
                break;
            }
            if (name.equalsIgnoreCase(HEADER)) {
                Optional<AuthenticationResults> parsed = AuthenticationResults.parse(field.value());
                boolean isOurs = parsed.isPresent() && authservIds.contains(parsed.get().authservId());
                if (!seenAny && !isOurs) {
                    return List.of(); // the topmost is another server's: ours did not add one
                }
                seenAny = true;
                if (isOurs) {
                    ours.add(parsed.get());
                }
            }
        }
        return ours;
    }

    private static final Pattern RECEIVED_BY =
            Pattern.compile("(?i)\\bby\\s+([^\\s;()]+)");

    /** Whether a Received line names one of our authserv-ids as the receiving host ({@code by mx.shop.example}). */
    private boolean receivedByUs(String received) {
        Matcher by = RECEIVED_BY.matcher(received);
        return by.find() && authservIds.contains(by.group(1).toLowerCase(Locale.ROOT));
    }

    private static Optional<String> signingDomain(AuthenticationResults.Result dkim) {
        Optional<String> d = dkim.property("header.d");
        if (d.isPresent() && !d.get().isBlank()) {
            return Optional.of(d.get().toLowerCase(Locale.ROOT));
        }
        return dkim.property("header.i")
                .map(i -> i.substring(i.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT))
                .filter(s -> !s.isBlank());
    }

    static boolean aligned(String signer, String fromDomain) {
        String a = trimDot(signer);
        String b = trimDot(fromDomain);
        if (a.equals(b)) {
            return true;
        }
        String shorter = a.length() < b.length() ? a : b;
        String longer = a.length() < b.length() ? b : a;
        return shorter.contains(".") && longer.endsWith("." + shorter);
    }

    private static String trimDot(String domain) {
        String d = domain.toLowerCase(Locale.ROOT).trim();
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    private static SenderIdentity unverified(EmailAddress from, String why) {
        return new SenderIdentity(from, false, why);
    }

    /** Settings of an {@link AuthenticationResultsVerifier}. */
    public static final class Builder {
        private final Set<String> authservIds = new LinkedHashSet<>();
        private boolean checkReplyTo = true;

        /**
         * Required: the authserv-id our receiving server writes into its Authentication-Results
         * header (usually its host name, such as {@code mx.shop.example}); several when mail comes in
         * through several servers.
         */
        public Builder authservId(String... ids) {
            for (String id : ids) {
                if (id == null || id.isBlank() || id.contains(";") || id.contains("=")) {
                    throw new IllegalArgumentException("authservId must be a host name such as mx.example.com, was '" + id + "'");
                }
                authservIds.add(id.trim().toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /** Whether a Reply-To other than From makes the sender unverified; default true. */
        public Builder checkReplyTo(boolean check) {
            this.checkReplyTo = check;
            return this;
        }

        public AuthenticationResultsVerifier build() {
            if (authservIds.isEmpty()) {
                throw new IllegalArgumentException("authservId is required: the id our own receiving server writes into "
                        + "Authentication-Results (or use SenderVerifier.trustEveryone() to turn verification off)");
            }
            return new AuthenticationResultsVerifier(this);
        }
    }
}
