package io.ragmail.odoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragmail.core.CustomerFacts;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.ErpClient;
import io.ragmail.core.ErpRecord;
import io.ragmail.core.RetriableException;
import io.ragmail.core.SenderIdentity;
import io.ragmail.testkit.odoo.FakeOdooServer;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OdooErpClientTest {

    FakeOdooServer odoo;
    int acme;
    int globex;

    void start(FakeOdooServer.Builder builder) {
        odoo = builder.build();
        acme = odoo.create("res.partner", Map.of("name", "Acme Corp", "is_company", true, "email", "orders@acme.example"));
        odoo.create("res.partner", Map.of("name", "Ada Buyer", "parent_id", acme, "email", "Ada.Buyer@acme.example"));
        globex = odoo.create("res.partner", Map.of("name", "Globex", "is_company", true, "email", "hank@globex.example"));
        odoo.create("res.partner", Map.of("name", "Axb Person", "email", "axb@acme.example"));
        odoo.create("sale.order", Map.of("name", "S00042", "state", "sale", "date_order", "2026-11-01 09:00:00",
                "amount_total", 120.5, "partner_id", acme, "currency_id", odoo.create("res.currency", Map.of("name", "EUR"))));
        odoo.create("sale.order", Map.of("name", "S00099", "state", "sale", "date_order", "2026-11-02 09:00:00",
                "amount_total", 99999.0, "partner_id", globex));
        if (!odoo.hasModel("account.move")) {
            return;
        }
        odoo.create("account.move", Map.of("name", "INV/2026/00007", "state", "posted", "move_type", "out_invoice",
                "payment_state", "not_paid", "invoice_date", "2026-11-01", "invoice_date_due", "2026-12-01",
                "amount_total", 120.5, "amount_residual", 120.5, "partner_id", acme));
        odoo.create("account.move", Map.of("name", "INV/2026/00001", "state", "posted", "move_type", "out_invoice",
                "payment_state", "paid", "invoice_date", "2026-10-01", "amount_total", 10.0, "partner_id", acme));
        odoo.create("stock.picking", Map.of("name", "WH/OUT/00005", "state", "done", "picking_type_code", "outgoing",
                "origin", "S00042", "scheduled_date", "2026-11-03 10:00:00", "partner_id", acme));
    }

    @AfterEach
    void stop() {
        odoo.close();
    }

    ErpClient erp() {
        return OdooErpClient.builder(OdooClient.builder().url(odoo.url()).database("ragmail").username("admin").password("admin")
                .sleeper(d -> { }).maxAttempts(1).build()).build();
    }

    static SenderIdentity verified(String address) {
        return new SenderIdentity(EmailAddress.of(address), true);
    }

    @Test
    void a_contact_gets_their_companys_orders_invoices_and_deliveries() {
        start(FakeOdooServer.builder());

        CustomerFacts facts = erp().factsFor(verified("ada.buyer@ACME.example")).orElseThrow();

        assertThat(facts.customerName()).isEqualTo("Acme Corp");
        assertThat(facts.customerId()).isEqualTo("odoo:res.partner:" + acme);
        assertThat(facts.records()).extracting(ErpRecord::kind, ErpRecord::reference).containsExactly(
                org.assertj.core.groups.Tuple.tuple("order", "S00042"),
                org.assertj.core.groups.Tuple.tuple("invoice", "INV/2026/00007"),
                org.assertj.core.groups.Tuple.tuple("delivery", "WH/OUT/00005"));
        ErpRecord order = facts.records().get(0);
        assertThat(order.fields()).containsEntry("state", "sale").containsEntry("amount_total", "120.50")
                .containsEntry("currency", "EUR").containsEntry("date_order", "2026-11-01 09:00:00 UTC");
        assertThat(facts.records().get(1).fields()).containsEntry("due_date", "2026-12-01").containsEntry("amount_due", "120.50");
    }

    @Test
    void customer_a_never_sees_customer_b_orders_whatever_the_mail_says() {
        start(FakeOdooServer.builder());

        CustomerFacts facts = erp().factsFor(verified("orders@acme.example")).orElseThrow();

        assertThat(facts.records()).extracting(ErpRecord::reference).doesNotContain("S00099");
        assertThat(facts.toString()).doesNotContain("Globex").doesNotContain("99999");
        // the API takes nothing but the sender's identity: there is no parameter through which a mail naming
        // "S00099" or another address could widen the query
        Method[] methods = ErpClient.class.getMethods();
        assertThat(methods).hasSize(1);
        assertThat(Arrays.asList(methods[0].getParameterTypes())).containsExactly(SenderIdentity.class);
    }

    @Test
    void like_wildcards_in_an_address_match_nothing_but_themselves() {
        start(FakeOdooServer.builder());

        assertThat(erp().factsFor(verified("a_b@acme.example"))).isEmpty();
        assertThat(erp().factsFor(verified("%@acme.example"))).isEmpty();
        assertThat(erp().factsFor(verified("%"))).isEmpty();
    }

    @Test
    void an_unverified_sender_gets_the_customer_name_and_no_private_records() {
        start(FakeOdooServer.builder());

        CustomerFacts facts = erp().factsFor(new SenderIdentity(EmailAddress.of("orders@acme.example"), false)).orElseThrow();

        assertThat(facts.customerName()).isEqualTo("Acme Corp");
        assertThat(facts.records()).isEmpty();
        assertThat(odoo.requestCount("search_read")).isEqualTo(1); // only the partner lookup
    }

    @Test
    void an_unknown_sender_is_no_customer() {
        start(FakeOdooServer.builder());

        assertThat(erp().factsFor(verified("stranger@example.org"))).isEmpty();
    }

    @Test
    void several_customers_with_one_address_resolve_to_the_lowest_commercial_partner_id() {
        start(FakeOdooServer.builder());
        odoo.create("res.partner", Map.of("name", "Hank at Acme", "parent_id", acme, "email", "hank@globex.example"));

        Optional<CustomerFacts> first = erp().factsFor(verified("hank@globex.example"));
        Optional<CustomerFacts> again = erp().factsFor(verified("HANK@globex.example"));

        assertThat(first.orElseThrow().customerId()).isEqualTo("odoo:res.partner:" + acme).isEqualTo(again.orElseThrow().customerId());
    }

    @Test
    void models_of_modules_that_are_not_installed_are_simply_absent() {
        start(FakeOdooServer.builder().withoutModel("stock.picking").withoutModel("account.move"));

        CustomerFacts facts = erp().factsFor(verified("orders@acme.example")).orElseThrow();

        assertThat(facts.records()).extracting(ErpRecord::kind).containsExactly("order");
    }

    @Test
    void models_the_odoo_user_may_not_read_are_left_out_and_not_asked_again() {
        start(FakeOdooServer.builder().user("ragmail.internal", "internal-pw", 8, FakeOdooServer.Role.INTERNAL));
        ErpClient erp = OdooErpClient.builder(OdooClient.builder().url(odoo.url()).database("ragmail")
                .username("ragmail.internal").password("internal-pw").sleeper(d -> { }).maxAttempts(1).build()).build();

        CustomerFacts facts = erp.factsFor(verified("orders@acme.example")).orElseThrow();
        assertThat(facts.customerName()).isEqualTo("Acme Corp");
        assertThat(facts.records()).as("sale, stock and account are refused to this user").isEmpty();

        odoo.resetCounts();
        assertThat(erp.factsFor(verified("orders@acme.example"))).isPresent();
        assertThat(odoo.requestCount("search_read")).as("only the partner lookup").isEqualTo(1);
    }

    @Test
    void odoo_down_is_retriable() {
        start(FakeOdooServer.builder());
        ErpClient erp = erp();
        odoo.goDown();

        assertThatThrownBy(() -> erp.factsFor(verified("orders@acme.example"))).isInstanceOf(RetriableException.class);
    }

    @Test
    void an_archived_contact_is_not_a_customer() {
        start(FakeOdooServer.builder());
        int old = odoo.create("res.partner", Map.of("name", "Gone", "email", "gone@example.org"));
        odoo.archive("res.partner", old);

        assertThat(erp().factsFor(verified("gone@example.org"))).isEmpty();
    }

    @Test
    void records_keep_their_order_most_recent_first_and_are_capped() {
        start(FakeOdooServer.builder());
        for (int i = 1; i <= 12; i++) {
            odoo.create("sale.order", Map.of("name", String.format("S1%04d", i), "state", "draft",
                    "date_order", String.format("2026-11-%02d 10:00:00", 10 + i), "amount_total", 1.0, "partner_id", acme));
        }
        OdooErpClient erp = OdooErpClient.builder(OdooClient.builder().url(odoo.url()).database("ragmail").username("admin")
                .password("admin").build()).maxRecordsPerKind(3).build();

        List<String> orders = erp.factsFor(verified("orders@acme.example")).orElseThrow().records().stream()
                .filter(r -> r.kind().equals("order")).map(ErpRecord::reference).toList();

        assertThat(orders).containsExactly("S10012", "S10011", "S10010");
    }
}
