package io.ragmail.testkit.odoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FakeOdooServer evaluates the domains, access rules and write_date semantics ragmail relies on. */
class FakeOdooServerTest {

    SettableClock clock = new SettableClock(Instant.parse("2026-11-28T23:39:00.250Z"));
    FakeOdooServer odoo;
    XmlRpcClient rpc = new XmlRpcClient();
    int acme;
    int ada;
    int globex;

    @BeforeEach
    void start() {
        odoo = FakeOdooServer.builder().clock(clock).user("ragmail.internal", "internal-pw", 8, FakeOdooServer.Role.INTERNAL)
                .user("ragmail.portal", "portal-pw", 9, FakeOdooServer.Role.PORTAL).build();
        acme = odoo.create("res.partner", Map.of("name", "Acme", "is_company", true, "email", "orders@acme.example"));
        ada = odoo.create("res.partner", Map.of("name", "Ada", "parent_id", acme, "email", "Ada_B@acme.example"));
        globex = odoo.create("res.partner", Map.of("name", "Globex", "is_company", true, "email", "hank@globex.example"));
        odoo.create("sale.order", Map.of("name", "S1", "partner_id", ada, "amount_total", 10.0, "state", "sale"));
        odoo.create("sale.order", Map.of("name", "S2", "partner_id", globex, "amount_total", 20.0, "state", "draft"));
    }

    @AfterEach
    void stop() {
        odoo.close();
    }

    Object call(String service, String method, Object... params) throws Exception {
        XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
        config.setServerURL(new URL(odoo.url() + "/xmlrpc/2/" + service));
        return rpc.execute(config, method, params);
    }

    Object kw(int uid, String password, String model, String method, Object[] args, Map<String, Object> kwargs) throws Exception {
        return call("object", "execute_kw", "ragmail", uid, password, model, method, args, kwargs);
    }

    List<String> names(String model, Object... domain) throws Exception {
        Object[] rows = (Object[]) kw(2, "admin", model, "search_read", new Object[] {domain},
                Map.of("fields", new Object[] {"name"}, "order", "id asc"));
        return Arrays.stream(rows).map(r -> (String) ((Map<?, ?>) r).get("name")).toList();
    }

    static Object[] leaf(String f, String op, Object v) {
        return new Object[] {f, op, v};
    }

    @Test
    void evaluates_comparison_and_logical_operators() throws Exception {
        assertThat(names("sale.order", (Object) leaf("amount_total", ">", 15.0))).containsExactly("S2");
        assertThat(names("sale.order", (Object) leaf("state", "!=", "sale"))).containsExactly("S2");
        assertThat(names("sale.order", (Object) leaf("state", "in", new Object[] {"sale", "draft"}))).containsExactly("S1", "S2");
        assertThat(names("sale.order", "|", leaf("name", "=", "S1"), leaf("name", "=", "S2"))).containsExactly("S1", "S2");
        assertThat(names("sale.order", "!", leaf("name", "=", "S1"))).containsExactly("S2");
        assertThat(names("res.partner", (Object) leaf("name", "ilike", "glob"))).containsExactly("Globex");
    }

    @Test
    void child_of_follows_parent_links() throws Exception {
        assertThat(names("sale.order", (Object) leaf("partner_id", "child_of", acme))).containsExactly("S1");
        assertThat(names("res.partner", (Object) leaf("id", "child_of", acme))).containsExactly("Acme", "Ada");
    }

    @Test
    void eq_ilike_is_case_insensitive_with_sql_wildcards_and_escapes() throws Exception {
        assertThat(names("res.partner", (Object) leaf("email", "=ilike", "ada\\_b@ACME.example"))).containsExactly("Ada");
        assertThat(names("res.partner", (Object) leaf("email", "=ilike", "%@acme.example"))).containsExactly("Acme", "Ada");
        assertThat(names("res.partner", (Object) leaf("email", "=ilike", "ada\\%b@acme.example"))).isEmpty();
    }

    @Test
    void archived_records_are_hidden_unless_active_test_is_off() throws Exception {
        odoo.archive("res.partner", globex);

        assertThat(names("res.partner", (Object) leaf("is_company", "=", true))).doesNotContain("Globex");
        Object[] all = (Object[]) kw(2, "admin", "res.partner", "search", new Object[] {new Object[] {leaf("is_company", "=", true)}},
                Map.of("context", Map.of("active_test", false)));
        assertThat(all).contains(globex);
    }

    @Test
    void write_date_keeps_sub_second_precision_but_shows_whole_seconds() throws Exception {
        clock.advance(Duration.ofMillis(500)); // 23:39:00.750, same second
        odoo.write("sale.order", 1, Map.of("state", "done"));
        Object[] rows = (Object[]) kw(2, "admin", "sale.order", "search_read",
                new Object[] {new Object[] {leaf("write_date", ">", "2026-11-28 23:39:00")}}, Map.of("fields", new Object[] {"write_date"}));

        assertThat(rows).isNotEmpty();
        assertThat(((Map<?, ?>) rows[0]).get("write_date")).isEqualTo("2026-11-28 23:39:00");
        assertThat((Object[]) kw(2, "admin", "sale.order", "search",
                new Object[] {new Object[] {leaf("write_date", "=", "2026-11-28 23:39:00")}}, Map.of())).isEmpty();
    }

    @Test
    void users_see_what_their_role_allows() throws Exception {
        assertThat(call("common", "authenticate", "ragmail", "ragmail.internal", "internal-pw", Map.of())).isEqualTo(8);
        assertThatThrownBy(() -> kw(8, "internal-pw", "sale.order", "search_read", new Object[] {new Object[0]}, Map.of()))
                .isInstanceOf(XmlRpcException.class).hasMessageContaining("You are not allowed to access 'Sales Order'")
                .satisfies(e -> assertThat(((XmlRpcException) e).code).isEqualTo(4));
        assertThat((Object[]) kw(9, "portal-pw", "sale.order", "search_read", new Object[] {new Object[0]}, Map.of())).isEmpty();
        assertThat(call("common", "authenticate", "ragmail", "admin", "wrong", Map.of())).isEqualTo(false);
        assertThatThrownBy(() -> kw(2, "wrong", "res.partner", "search_count", new Object[] {new Object[0]}, Map.of()))
                .satisfies(e -> assertThat(((XmlRpcException) e).code).isEqualTo(3));
    }

    @Test
    void empty_values_are_false_relations_are_pairs_and_lists() throws Exception {
        Object[] rows = (Object[]) kw(2, "admin", "res.partner", "read", new Object[] {new Object[] {ada}},
                Map.of("fields", new Object[] {"phone", "parent_id", "category_id", "commercial_partner_id"}));
        Map<?, ?> row = (Map<?, ?>) rows[0];

        assertThat(row.get("id")).isEqualTo(ada);
        assertThat(row.get("phone")).isEqualTo(false);
        assertThat((Object[]) row.get("parent_id")).containsExactly(acme, "Acme");
        assertThat((Object[]) row.get("commercial_partner_id")).containsExactly(acme, "Acme");
        assertThat((Object[]) row.get("category_id")).isEmpty();
    }

    @Test
    void scripted_outages_and_faults() throws Exception {
        odoo.enqueueFault(1, "Traceback (most recent call last):\nValueError: boom\n");
        assertThatThrownBy(() -> call("common", "version")).isInstanceOf(XmlRpcException.class).hasMessageContaining("boom");

        odoo.failNextWithHttpStatus(503, 1);
        assertThatThrownBy(() -> call("common", "version")).isInstanceOf(XmlRpcException.class).satisfies(e -> assertThat(((org.apache.xmlrpc.client.XmlRpcHttpTransportException) e).getStatusCode()).isEqualTo(503));

        odoo.goDown();
        assertThatThrownBy(() -> call("common", "version")).hasRootCauseInstanceOf(ConnectException.class);
        odoo.comeUp();
        assertThat(((Map<?, ?>) call("common", "version")).get("server_version")).isEqualTo("16.0");
        assertThat(odoo.requestCount("version")).isEqualTo(1);
        assertThat(odoo.requestCount()).isEqualTo(3);
    }

    @Test
    void the_latency_option_is_asked_for_every_call_with_the_method_and_the_records_returned() throws Exception {
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FakeOdooServer timed = FakeOdooServer.builder().latency((method, records) -> {
            asked.add(method + ":" + records);
            return Duration.ZERO;
        }).build()) {
            timed.create("product.template", Map.of("name", "A"));
            timed.create("product.template", Map.of("name", "B"));
            XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
            config.setServerURL(new URL(timed.url() + "/xmlrpc/2/object"));
            rpc.execute(config, "execute_kw", new Object[] {"ragmail", 2, "admin", "product.template", "search_read",
                    new Object[] {new Object[0]}, Map.of("fields", new Object[] {"name"})});
            config.setServerURL(new URL(timed.url() + "/xmlrpc/2/common"));
            rpc.execute(config, "authenticate", new Object[] {"ragmail", "admin", "admin", Map.of()});
        }

        // the benchmark preset turns these into Odoo 16's measured times (Latency.ODOO_16_MEASURED)
        assertThat(asked).containsExactly("search_read:2", "authenticate:1");
        assertThat(FakeOdooServer.Latency.ODOO_16_MEASURED.of("authenticate", 1)).isEqualTo(Duration.ofMillis(400));
        assertThat(FakeOdooServer.Latency.ODOO_16_MEASURED.of("search_read", 50)).isEqualTo(Duration.ofMillis(15));
    }
}
