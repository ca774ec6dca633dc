package io.ragmail.testkit.odoo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays the requests captured from a real Odoo 16 server against FakeOdooServer (seeded with the
 * same demo records) and compares the answers: byte for byte where the data is the fixture's, and
 * fault code plus final traceback line for faults.
 */
class FakeOdooServerContractTest {

    static FakeOdooServer odoo;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        odoo = FakeOdooServer.builder().demoData().build();
    }

    @AfterAll
    static void stop() {
        odoo.close();
    }

    static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(odoo.url() + path))
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static String pathOf(String name) {
        String req = OdooFixtures.request(name);
        return req.contains("<methodName>execute_kw</methodName>") ? "/xmlrpc/2/object" : "/xmlrpc/2/common";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"01-common-version", "02-authenticate-ok", "03-authenticate-wrong-password",
            "05-partner-search-read-by-email", "09-sale-order-search-read-by-partner", "12-fault-unknown-model",
            "14-fault-wrong-password-execute-kw", "15-fault-access-error-sale-order", "16-portal-user-sale-order-search-read",
            "22-read-deleted-record", "25-fault-private-method", "28-fault-uid-false", "34-database-down-version",
            "94-setup-authenticate-internal-user", "95-setup-authenticate-portal-user",
            "apache-xmlrpc-3.1.3-client/01-common-version", "apache-xmlrpc-3.1.3-client/02-authenticate-ok",
            "apache-xmlrpc-3.1.3-client/03-authenticate-wrong-password",
            "apache-xmlrpc-3.1.3-client/04-partner-search-read-by-email",
            "apache-xmlrpc-3.1.3-client/05-fault-wrong-password-execute-kw"})
    void answers_byte_for_byte_like_real_odoo(String fixture) throws Exception {
        HttpResponse<String> response = post(pathOf(fixture), OdooFixtures.requestBytes(fixture));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/xml; charset=utf-8");
        assertThat(response.body()).isEqualTo(OdooFixtures.response(fixture));
    }

    static final Pattern FAULT_CODE = Pattern.compile("<name>faultCode</name>\\s*<value><int>(\\d+)</int>");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"13-fault-unknown-field-in-domain", "24-fault-unknown-method",
            "apache-xmlrpc-3.1.3-client/06-fault-unknown-field-in-domain"})
    void tracebacks_end_with_the_same_exception_line_as_real_odoo(String fixture) throws Exception {
        String expected = OdooFixtures.response(fixture);
        String actual = post(pathOf(fixture), OdooFixtures.requestBytes(fixture)).body();

        assertThat(faultCode(actual)).isEqualTo(faultCode(expected));
        assertThat(lastTracebackLine(actual)).isEqualTo(lastTracebackLine(expected));
        assertThat(actual).startsWith("<?xml version='1.0'?>\n<methodResponse>\n<fault>\n").contains("Traceback (most recent call last):");
    }

    @Test
    void an_unknown_service_and_a_body_that_is_not_xml_are_faults_with_http_200() throws Exception {
        HttpResponse<String> unknown = post("/xmlrpc/2/nosuch", OdooFixtures.requestBytes("29-fault-unknown-service"));
        HttpResponse<String> notXml = post("/xmlrpc/2/common", OdooFixtures.requestBytes("31-fault-non-xml-request"));

        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(lastTracebackLine(unknown.body())).isEqualTo(lastTracebackLine(OdooFixtures.response("29-fault-unknown-service")));
        assertThat(notXml.statusCode()).isEqualTo(200);
        assertThat(lastTracebackLine(notXml.body())).startsWith("xml.parsers.expat.ExpatError:");
    }

    @Test
    void a_write_date_cursor_compares_like_odoo_with_hidden_microseconds() {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-28T23:39:00.572036Z"));
        try (FakeOdooServer fresh = FakeOdooServer.builder().clock(clock).build()) {
            fresh.create("product.template", Map.of("name", "Office Lamp"));
            String gt = fresh.answer("/xmlrpc/2/object", OdooFixtures.requestBytes("37-template-write-date-gt-returned-second"));
            String eq = fresh.answer("/xmlrpc/2/object", OdooFixtures.requestBytes("38-template-write-date-eq-returned-second"));

            // real Odoo: '>' on the returned second still finds the record (30 in the demo db), '=' finds none
            assertThat(gt).contains("<value><int>1</int></value>");
            assertThat(eq).isEqualTo(OdooFixtures.response("38-template-write-date-eq-returned-second"));
        }
    }

    @Test
    void every_fixture_pair_is_packaged() {
        List<String> names = OdooFixtures.names();
        assertThat(names).hasSize(92).contains("23-method-returning-none", "apache-xmlrpc-3.1.3-client/06-fault-unknown-field-in-domain");
    }

    static String faultCode(String body) {
        Matcher m = FAULT_CODE.matcher(body);
        return m.find() ? m.group(1) : "none";
    }

    static String lastTracebackLine(String body) {
        int end = body.indexOf("</string></value>", body.indexOf("faultString"));
        String text = body.substring(body.indexOf("<value><string>", body.indexOf("faultString")) + 15, end).strip();
        String[] lines = text.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isEmpty() && !Character.isWhitespace(lines[i].charAt(0))) {
                return lines[i];
            }
        }
        return "";
    }
}
