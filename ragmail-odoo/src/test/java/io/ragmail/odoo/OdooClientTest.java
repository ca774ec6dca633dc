package io.ragmail.odoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ragmail.core.AuthenticationException;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.RetriableException;
import io.ragmail.testkit.odoo.FakeOdooServer;
import io.ragmail.testkit.odoo.OdooFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OdooClientTest {

    static final String SECRET = "s3cr3t-api-key-4711";

    FakeOdooServer odoo;

    @BeforeEach
    void start() {
        odoo = FakeOdooServer.builder().demoData().user("ragmail", SECRET, 7, FakeOdooServer.Role.ADMIN).build();
    }

    @AfterEach
    void stop() {
        odoo.close();
    }

    OdooClient.Builder client() {
        return OdooClient.builder().url(odoo.url()).database("ragmail").username("ragmail").apiKey(SECRET)
                .sleeper(d -> { }).readTimeout(Duration.ofSeconds(5));
    }

    @Test
    void authenticates_once_and_reuses_the_uid() {
        OdooClient client = client().build();

        assertThat(client.authenticate()).isEqualTo(7);
        client.searchCount("res.partner", OdooDomain.all());
        client.searchCount("res.partner", OdooDomain.all());

        assertThat(odoo.requestCount("authenticate")).isEqualTo(1);
        assertThat(odoo.requestCount("search_count")).isEqualTo(2);
    }

    @Test
    void a_wrong_password_is_an_authentication_failure_that_does_not_show_the_password() {
        OdooClient client = client().password("wrong-" + SECRET).build();

        assertThatThrownBy(client::authenticate)
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("ragmail")
                .satisfies(e -> assertThat(((AuthenticationException) e).component()).isEqualTo("odoo"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void re_authenticates_once_when_odoo_refuses_the_session() {
        OdooClient client = client().build();
        client.authenticate();
        odoo.enqueueRawResponse(OdooFixtures.response("14-fault-wrong-password-execute-kw"));

        assertThat(client.searchCount("res.partner", OdooDomain.all())).isEqualTo(3);
        assertThat(odoo.requestCount("authenticate")).isEqualTo(2);
    }

    @Test
    void gives_up_with_an_authentication_failure_when_the_session_is_refused_again() {
        OdooClient client = client().build();
        client.authenticate();
        odoo.enqueueRawResponse(OdooFixtures.response("14-fault-wrong-password-execute-kw"));
        odoo.enqueueRawResponse(OdooFixtures.response("02-authenticate-ok"));
        odoo.enqueueRawResponse(OdooFixtures.response("28-fault-uid-false"));

        assertThatThrownBy(() -> client.searchCount("res.partner", OdooDomain.all())).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void reads_odoo_values_without_null_surprises() {
        OdooClient client = client().build();

        OdooRecord azure = client.searchRead("res.partner", OdooDomain.where("email", "=ilike", "AZURE.interior24@example.com"),
                List.of("name", "email", "phone", "parent_id", "write_date", "commercial_partner_id"), null, 0, 0).get(0);

        assertThat(azure.id()).isEqualTo(14);
        assertThat(azure.text("name")).contains("Azure Interior");
        assertThat(azure.reference("parent_id")).isEmpty();   // False
        assertThat(azure.text("parent_id")).isEmpty();
        assertThat(azure.reference("commercial_partner_id")).contains(new OdooReference(14, "Azure Interior"));
        assertThat(azure.dateTime("write_date")).hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo("2026-11-28T23:39:13Z"));
        assertThat(azure.ids("category_id")).isEmpty();
    }

    @Test
    void context_lang_and_tz_are_sent_and_datetimes_stay_utc() {
        OdooClient client = client().lang("en_US").tz("Europe/Berlin").build();

        List<OdooRecord> orders = client.searchRead("sale.order", OdooDomain.where("partner_id", "=", 10),
                List.of("name", "date_order", "amount_total"), "id asc", 1, 0);

        assertThat(orders).hasSize(1);
        assertThat(orders.get(0).text("date_order")).contains("2026-10-28 23:39:00");
        assertThat(orders.get(0).decimal("amount_total")).hasValueSatisfying(d -> assertThat(d).isEqualByComparingTo("1740"));
    }

    @Test
    void fields_get_describes_fields_and_relations() {
        Map<String, OdooFieldInfo> fields = client().build().fieldsGet("sale.order");

        assertThat(fields.get("partner_id").type()).isEqualTo("many2one");
        assertThat(fields.get("partner_id").relation()).contains("res.partner");
        assertThat(fields.get("name").relation()).isEmpty();
    }

    @Test
    void paging_with_limit_and_offset() {
        OdooClient client = client().build();
        for (int i = 0; i < 5; i++) {
            odoo.create("product.template", Map.of("name", "P" + i));
        }

        List<OdooRecord> page = client.searchRead("product.template", OdooDomain.all(), List.of("name"), "id asc", 2, 2);

        assertThat(page).extracting(r -> r.text("name").orElseThrow()).containsExactly("P2", "P3");
    }

    @Test
    void network_errors_are_retried_with_growing_backoff() {
        List<Duration> waits = new java.util.ArrayList<>();
        OdooClient client = client().retryBackoff(Duration.ofMillis(500)).sleeper(waits::add).build();
        client.authenticate();
        odoo.failNextWithHttpStatus(502, 2);

        assertThat(client.searchCount("res.partner", OdooDomain.all())).isEqualTo(3);
        assertThat(client.callsMade()).isEqualTo(4); // authenticate + 2 failed + 1 good
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(400), Duration.ofMillis(600));
        assertThat(waits.get(1)).isGreaterThan(waits.get(0));
    }

    @Test
    void a_server_that_stays_unreachable_is_a_retriable_failure_without_secrets() {
        OdooClient client = client().maxAttempts(2).build();
        odoo.goDown();

        assertThatThrownBy(client::authenticate)
                .isInstanceOf(RetriableException.class)
                .isInstanceOf(OdooUnavailableException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        assertThat(client.callsMade()).isEqualTo(2);

        odoo.comeUp();
        assertThat(client.authenticate()).isEqualTo(7);
    }

    @Test
    void a_hung_server_times_out_as_retriable() {
        OdooClient client = client().maxAttempts(1).readTimeout(Duration.ofMillis(200)).build();
        odoo.slowDown(Duration.ofSeconds(2));

        assertThatThrownBy(client::version).isInstanceOf(OdooUnavailableException.class).hasMessageContaining("timed out");
    }

    @Test
    void the_circuit_breaker_stops_calling_a_dead_server() {
        OdooClient client = client().maxAttempts(1).circuitMinimumCalls(2).build();
        odoo.goDown();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(client::version).isInstanceOf(OdooUnavailableException.class);
        }
        long before = client.callsMade();

        assertThatThrownBy(client::version).isInstanceOf(OdooUnavailableException.class).hasMessageContaining("circuit breaker");
        assertThat(client.callsMade()).isEqualTo(before);
    }

    @Test
    void an_http_error_that_is_not_transient_is_not_retried() {
        OdooClient client = client().build();
        client.authenticate();
        odoo.failNextWithHttpStatus(404, 1);

        assertThatThrownBy(() -> client.searchCount("res.partner", OdooDomain.all())).isInstanceOf(NonRetriableException.class);
        assertThat(client.callsMade()).isEqualTo(2);
    }

    @Test
    void credentials_never_reach_the_logs() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try {
            OdooClient client = client().build();
            client.authenticate();
            odoo.enqueueRawResponse(OdooFixtures.response("14-fault-wrong-password-execute-kw"));
            client.searchCount("res.partner", OdooDomain.all());
            odoo.goDown();
            try {
                client.version();
            } catch (RetriableException expected) {
                // logged by nobody but checked below
            }
            assertThat(client.toString()).doesNotContain(SECRET);
        } finally {
            root.detachAppender(appender);
        }
        assertThat(appender.list).isNotEmpty();
        assertThat(appender.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(SECRET));
    }

    @Test
    void builder_names_the_setting_at_fault() {
        assertThatThrownBy(() -> OdooClient.builder().database("d").username("u").password("p").build())
                .hasMessageContaining("url");
        assertThatThrownBy(() -> OdooClient.builder().url("ftp://x").database("d").username("u").password("p").build())
                .hasMessageContaining("url");
        assertThatThrownBy(() -> OdooClient.builder().url("http://x").database("d").username("u").build())
                .hasMessageContaining("password");
        assertThatThrownBy(() -> client().maxAttempts(0).build()).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> client().readTimeout(Duration.ZERO).build()).hasMessageContaining("readTimeout");
    }
}
