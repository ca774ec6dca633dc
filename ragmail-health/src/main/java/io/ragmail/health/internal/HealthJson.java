package io.ragmail.health.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ragmail.health.CheckResult;
import io.ragmail.health.ComponentHealth;
import io.ragmail.health.HealthSnapshot;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneId;

/**
 * The JSON of {@code /health}, in exactly the shape of ARCHITECTURE.md:
 * {@code {"status":"healthy","uptime":"2d 5h 32m","emails_processed":1250,"last_email":"2025-10-11 14:32:15",
 * "error_count":3,"components":{"imap":{"status":"up","since":"…","last_error":null},…}}}.
 */
public final class HealthJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private HealthJson() {
    }

    public static String health(HealthSnapshot s) {
        return write(g -> {
            ZoneId zone = s.zone();
            g.writeStartObject();
            g.writeStringField("status", s.status().label());
            g.writeStringField("uptime", Formats.uptime(s.uptime()));
            g.writeNumberField("emails_processed", s.emailsProcessed());
            g.writeStringField("last_email", Formats.time(s.lastEmail(), zone));
            g.writeNumberField("error_count", s.errorCount());
            g.writeObjectFieldStart("components");
            for (ComponentHealth c : s.components().values()) {
                g.writeObjectFieldStart(c.name());
                g.writeStringField("status", c.state().label());
                g.writeStringField("since", Formats.time(c.since(), zone));
                g.writeStringField("last_error", c.lastError().isEmpty() ? null : c.lastError());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** {@code {"status":"up"}} or {@code {"status":"down","reason":"…"}}. */
    public static String check(CheckResult r) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("status", r.ok() ? "up" : "down");
            if (!r.ok()) {
                g.writeStringField("reason", r.reason());
            }
            g.writeEndObject();
        });
    }

    /** {@code {"error":"…"}}. */
    public static String error(String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
