package io.ragmail.health.internal;

import io.ragmail.core.MailKey;
import io.ragmail.health.ComponentHealth;
import io.ragmail.health.HealthSnapshot;
import io.ragmail.health.OutcomeCounts;
import io.ragmail.health.QueueSnapshot;
import io.ragmail.health.QueuedMail;
import io.ragmail.health.RecentMail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The dashboard page: server-rendered HTML with an inline SVG chart, no script at all, refreshed by
 * {@code <meta http-equiv="refresh">}. Every string that came from a mail or an error goes through
 * {@link Html#esc}. The one inline stylesheet is allowed by its hash in the Content-Security-Policy.
 */
public final class Dashboard {

    static final String CSS = String.join("\n",
            "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}",
            "header{display:flex;gap:16px;align-items:center;flex-wrap:wrap;padding:14px 24px;background:#1d2330;color:#fff}",
            "header h1{font-size:20px;margin:0}",
            "main{padding:16px 24px;max-width:1200px}",
            "section{background:#fff;border-radius:8px;padding:12px 16px;margin:0 0 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}",
            "h2{font-size:15px;margin:0 0 8px}",
            ".muted{color:#8a93a6}header .muted{color:#b8c0d0}",
            ".badge{display:inline-block;padding:2px 10px;border-radius:10px;font-weight:600;color:#fff;background:#8a93a6}",
            ".s-healthy,.s-up{background:#2e7d32}.s-degraded{background:#ef6c00}.s-unhealthy,.s-down{background:#c62828}",
            ".s-unknown{background:#8a93a6}",
            ".tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:12px;background:none;box-shadow:none;padding:0}",
            ".tile{background:#fff;border-radius:8px;padding:10px 14px;box-shadow:0 1px 2px rgba(0,0,0,.08)}",
            ".num{font-size:24px;font-weight:700}.lbl{color:#5b6478;font-size:12px}",
            "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceef2;vertical-align:top}",
            "th{font-size:12px;color:#5b6478;font-weight:600}",
            "td.subj{max-width:420px;overflow-wrap:anywhere}td.err{max-width:420px;overflow-wrap:anywhere;color:#5b6478}",
            ".o-sent{color:#2e7d32}.o-review{color:#1565c0}.o-skipped{color:#5b6478}.o-retry{color:#ef6c00}.o-dead{color:#c62828}",
            ".legend span{margin-right:14px}.sw{display:inline-block;width:10px;height:10px;margin-right:4px}",
            ".k-sent{background:#2e7d32}.k-review{background:#1565c0}.k-skipped{background:#9aa3b5}.k-dead{background:#c62828}",
            ".notice{background:#e8f5e9;border-radius:6px;padding:8px 12px}",
            "form .actions{margin-top:8px;display:flex;gap:8px;align-items:center}");

    /** The CSP source for the stylesheet: {@code 'sha256-…'}. */
    public static final String STYLE_HASH = "'sha256-" + sha256(CSS) + "'";

    /** The page's Content-Security-Policy: no script at all, only our stylesheet, forms to ourselves. */
    public static final String CSP = "default-src 'none'; style-src " + STYLE_HASH
            + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** How many recent mails the page lists (the snapshot may hold more). */
    static final int RECENT_ROWS = 25;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:00");
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss");

    private Dashboard() {
    }

    /**
     * @param actions whether retry/drop forms are shown (a token is configured and there is a ledger)
     * @param notice  a fixed message after an action, or empty
     */
    public static String render(HealthSnapshot s, String basePath, Duration refresh, boolean actions,
            boolean tokenConfigured, String notice) {
        ZoneId zone = s.zone();
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(Math.max(1, refresh.getSeconds())).append("\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<meta name=\"referrer\" content=\"no-referrer\">")
                .append("<title>ragmail · ").append(s.status().label()).append("</title>")
                .append("<style>").append(CSS).append("</style></head><body>\n");

        h.append("<header><h1>ragmail</h1><span id=\"status\" class=\"badge s-").append(s.status().label()).append("\">")
                .append(s.status().label()).append("</span><span>up <b id=\"uptime\">").append(Formats.uptime(s.uptime()))
                .append("</b></span><span class=\"muted\">as of ").append(Formats.time(s.at(), zone)).append(' ')
                .append(Html.esc(zone.equals(java.time.ZoneOffset.UTC) ? "UTC" : zone.getId())).append(" · refreshes every ").append(refresh.getSeconds()).append(" s</span>");
        if (!s.live().ok()) {
            h.append("<span class=\"badge s-down\">").append(Html.esc(s.live().reason())).append("</span>");
        }
        h.append("</header>\n<main>\n");
        if (!notice.isEmpty()) {
            h.append("<p class=\"notice\" id=\"notice\">").append(Html.esc(notice)).append("</p>\n");
        }

        OutcomeCounts t = s.today();
        QueueSnapshot q = s.queue();
        h.append("<section class=\"tiles\">");
        tile(h, "processed", Long.toString(s.emailsProcessed()), "mails processed");
        tile(h, "sent-today", Long.toString(t.sent()), "sent today");
        tile(h, "review-today", Long.toString(t.review()), "for review today");
        tile(h, "skipped-today", Long.toString(t.skipped()), "skipped today");
        tile(h, "dead-today", Long.toString(t.dead()), "failed today");
        tile(h, "success-today", t.successRate().isPresent()
                ? String.format(Locale.ROOT, "%.0f%%", t.successRate().getAsDouble() * 100) : "–", "success rate today");
        tile(h, "retry-queue", q.known() ? Long.toString(q.retry()) : "–", "waiting for retry");
        tile(h, "dead-queue", q.known() ? Long.toString(q.dead()) : "–", "failed-mail queue");
        tile(h, "last-email", s.lastEmail() == null ? "–" : Formats.age(Duration.between(s.lastEmail(), s.at())) + " ago",
                "last mail");
        h.append("</section>\n");

        h.append("<section id=\"components\"><h2>Components</h2><table><thead><tr><th>component</th><th>status</th>")
                .append("<th>since</th><th>last error</th></tr></thead><tbody>");
        for (ComponentHealth c : s.components().values()) {
            h.append("<tr data-component=\"").append(Html.esc(c.name())).append("\"><td>").append(Html.esc(c.name()));
            if (c.critical()) {
                h.append(" <span class=\"muted\" title=\"down = unhealthy\">critical</span>");
            }
            h.append("</td><td><span class=\"badge s-").append(c.state().label()).append("\">").append(c.state().label())
                    .append("</span></td><td>")
                    .append(c.since() == null ? "–" : Formats.time(c.since(), zone) + " <span class=\"muted\">("
                            + Formats.age(Duration.between(c.since(), s.at())) + ")</span>")
                    .append("</td><td class=\"err\">").append(Html.esc(c.lastError())).append("</td></tr>");
        }
        h.append("</tbody></table></section>\n");

        queue(h, q, basePath, zone, actions, tokenConfigured);

        h.append("<section id=\"chart\"><h2>Last 24 hours</h2>");
        chart(h, s.lastDay(), zone);
        h.append("<div class=\"legend\"><span><i class=\"sw k-sent\"></i>sent</span><span><i class=\"sw k-review\"></i>")
                .append("for review</span><span><i class=\"sw k-skipped\"></i>skipped</span><span><i class=\"sw k-dead\">")
                .append("</i>failed</span></div></section>\n");

        h.append("<section id=\"recent\"><h2>Recent mails</h2>");
        if (s.recentMails().isEmpty()) {
            h.append("<p class=\"muted\">No mail since start.</p>");
        } else {
            h.append("<table><thead><tr><th>time</th><th>from</th><th>subject</th><th>outcome</th><th>reason</th></tr>")
                    .append("</thead><tbody>");
            for (RecentMail m : s.recentMails().subList(0, Math.min(RECENT_ROWS, s.recentMails().size()))) {
                h.append("<tr><td>").append(SHORT.format(m.receivedAt().atZone(zone))).append("</td><td>")
                        .append(Html.esc(m.senderDomain())).append("</td><td class=\"subj\">").append(Html.esc(m.subject()))
                        .append("</td><td class=\"o-").append(m.outcome().label()).append("\">").append(m.outcome().label())
                        .append("</td><td class=\"err\">").append(Html.esc(m.reason())).append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        h.append("</section>\n");

        h.append("</main></body></html>\n");
        return h.toString();
    }

    private static void tile(StringBuilder h, String key, String value, String label) {
        h.append("<div class=\"tile\"><div class=\"num\" data-k=\"").append(key).append("\">").append(Html.esc(value))
                .append("</div><div class=\"lbl\">").append(label).append("</div></div>");
    }

    private static void queue(StringBuilder h, QueueSnapshot q, String basePath, ZoneId zone, boolean actions,
            boolean tokenConfigured) {
        h.append("<section id=\"queue\"><h2>Failed-mail queue</h2>");
        if (!q.known()) {
            h.append("<p class=\"muted\">The ledger has not been read yet.</p></section>\n");
            return;
        }
        if (q.failed().isEmpty()) {
            h.append("<p class=\"muted\">Empty: no mail is waiting for an operator.</p></section>\n");
            return;
        }
        if (actions) {
            h.append("<form method=\"post\" action=\"").append(Html.esc(basePath)).append("/queue\">");
        }
        h.append("<table><thead><tr>");
        if (actions) {
            h.append("<th></th>");
        }
        h.append("<th>received</th><th>failed</th><th>from</th><th>subject</th><th>attempts</th><th>error</th></tr>")
                .append("</thead><tbody>");
        for (QueuedMail m : q.failed()) {
            h.append("<tr>");
            if (actions) {
                h.append("<td><input type=\"checkbox\" name=\"mail\" value=\"").append(Html.esc(encodeKey(m.key())))
                        .append("\" aria-label=\"select\"></td>");
            }
            h.append("<td>").append(SHORT.format(m.receivedAt().atZone(zone))).append("</td><td>")
                    .append(SHORT.format(m.failedAt().atZone(zone))).append("</td><td>").append(Html.esc(m.senderDomain()))
                    .append("</td><td class=\"subj\">").append(Html.esc(m.subject())).append("</td><td>").append(m.attempts())
                    .append("</td><td class=\"err\">").append(Html.esc(m.error())).append("</td></tr>");
        }
        h.append("</tbody></table>");
        if (q.dead() > q.failed().size()) {
            h.append("<p class=\"muted\">Showing the oldest ").append(q.failed().size()).append(" of ").append(q.dead())
                    .append(".</p>");
        }
        if (actions) {
            h.append("<div class=\"actions\"><label>Token <input type=\"password\" name=\"token\" autocomplete=\"off\" ")
                    .append("required></label><button type=\"submit\" name=\"action\" value=\"retry\">Retry selected</button>")
                    .append("<button type=\"submit\" name=\"action\" value=\"drop\">Drop selected</button></div></form>");
        } else if (!tokenConfigured) {
            h.append("<p class=\"muted\">Retry and drop are available when the health server has a token.</p>");
        }
        h.append("</section>\n");
    }

    /** The 24 hours as stacked bars: sent, review, skipped, failed. */
    private static void chart(StringBuilder h, List<OutcomeCounts> hours, ZoneId zone) {
        int width = 960;
        int height = 220;
        int left = 40;
        int bottom = 24;
        int top = 10;
        int plotH = height - bottom - top;
        long max = 0;
        for (OutcomeCounts c : hours) {
            max = Math.max(max, c.sent() + c.review() + c.skipped() + c.dead());
        }
        long scaleMax = Math.max(1, niceCeiling(max));
        double slot = (double) (width - left - 8) / Math.max(1, hours.size());
        double barW = Math.max(2, slot - 4);
        h.append("<svg id=\"chart-svg\" role=\"img\" aria-label=\"mails per hour, last 24 hours\" width=\"100%\" ")
                .append("viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (int i = 0; i <= 2; i++) {
            long v = scaleMax * i / 2;
            double y = top + plotH - (double) plotH * i / 2;
            h.append("<line x1=\"").append(left).append("\" x2=\"").append(width - 8).append("\" y1=\"").append(fmt(y))
                    .append("\" y2=\"").append(fmt(y)).append("\" stroke=\"#e1e4ea\"/>")
                    .append("<text x=\"").append(left - 6).append("\" y=\"").append(fmt(y + 4))
                    .append("\" text-anchor=\"end\" font-size=\"11\" fill=\"#5b6478\">").append(v).append("</text>");
        }
        for (int i = 0; i < hours.size(); i++) {
            OutcomeCounts c = hours.get(i);
            double x = left + i * slot + 2;
            String label = HOUR.format(c.start().atZone(zone));
            h.append("<g class=\"hour\"><title>").append(label).append(": ").append(c.sent()).append(" sent, ")
                    .append(c.review()).append(" for review, ").append(c.skipped()).append(" skipped, ").append(c.dead())
                    .append(" failed</title>");
            double y = top + plotH;
            long[] values = {c.sent(), c.review(), c.skipped(), c.dead()};
            String[] fills = {"#2e7d32", "#1565c0", "#9aa3b5", "#c62828"};
            String[] names = {"sent", "review", "skipped", "dead"};
            for (int k = 0; k < values.length; k++) {
                if (values[k] == 0) {
                    continue;
                }
                double bh = (double) plotH * values[k] / scaleMax;
                y -= bh;
                h.append("<rect class=\"bar ").append(names[k]).append("\" data-count=\"").append(values[k])
                        .append("\" x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" width=\"")
                        .append(fmt(barW)).append("\" height=\"").append(fmt(bh)).append("\" fill=\"").append(fills[k])
                        .append("\"/>");
            }
            h.append("</g>");
            if (i % 3 == 0 || i == hours.size() - 1) {
                h.append("<text x=\"").append(fmt(x + barW / 2)).append("\" y=\"").append(height - 6)
                        .append("\" text-anchor=\"middle\" font-size=\"11\" fill=\"#5b6478\">").append(label).append("</text>");
            }
        }
        if (max == 0) {
            h.append("<text x=\"").append(width / 2).append("\" y=\"").append(height / 2)
                    .append("\" text-anchor=\"middle\" font-size=\"14\" fill=\"#8a93a6\">no mail in the last 24 hours</text>");
        }
        h.append("</svg>");
    }

    private static long niceCeiling(long max) {
        if (max <= 2) {
            return 2;
        }
        long magnitude = 1;
        while (magnitude * 10 < max) {
            magnitude *= 10;
        }
        for (long step : new long[] {1, 2, 5, 10}) {
            if (step * magnitude >= max) {
                return step * magnitude;
            }
        }
        return max;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A mail key as one form value: base64url(mailbox) "." base64url(message id). */
    public static String encodeKey(MailKey key) {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        return b.encodeToString(key.mailbox().getBytes(StandardCharsets.UTF_8)) + "."
                + b.encodeToString(key.messageId().getBytes(StandardCharsets.UTF_8));
    }

    /** The inverse of {@link #encodeKey}; empty when malformed. */
    public static Optional<MailKey> decodeKey(String value) {
        int dot = value.indexOf('.');
        if (dot < 0 || value.indexOf('.', dot + 1) >= 0) {
            return Optional.empty();
        }
        try {
            Base64.Decoder d = Base64.getUrlDecoder();
            String mailbox = new String(d.decode(value.substring(0, dot)), StandardCharsets.UTF_8);
            String id = new String(d.decode(value.substring(dot + 1)), StandardCharsets.UTF_8);
            return id.isBlank() ? Optional.empty() : Optional.of(new MailKey(mailbox, id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
