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
        assertThat(order.fields()).containsEntry("status", "confirmed order").containsEntry("amount_total", "120.50")
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
    void an_address_of_several_unrelated_customers_gives_no_facts_and_asks_for_review() {
        start(FakeOdooServer.builder());
        odoo.create("res.partner", Map.of("name", "Hank at Acme", "parent_id", acme, "email", "hank@globex.example"));
        odoo.create("res.partner", Map.of("name", "Orders desk", "parent_id", acme, "email", "orders@acme.example"));

        CustomerFacts shared = erp().factsFor(verified("hank@globex.example")).orElseThrow();
        CustomerFacts sameCustomer = erp().factsFor(verified("orders@acme.example")).orElseThrow();

        assertThat(shared.ambiguous()).isTrue();
        assertThat(shared.records()).isEmpty();
        assertThat(shared.toString()).doesNotContain("Globex").doesNotContain("Acme").doesNotContain("99999");
        // two contacts of one customer (the company and its orders desk) are still that customer
        assertThat(sameCustomer.ambiguous()).isFalse();
        assertThat(sameCustomer.customerId()).isEqualTo("odoo:res.partner:" + acme);
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
            odoo.create("sale.order", Map.of("name", String.format("S1%04d", i), "state", "sale",
                    "date_order", String.format("2026-11-%02d 10:00:00", 10 + i), "amount_total", 1.0, "partner_id", acme));
        }
        OdooErpClient erp = OdooErpClient.builder(OdooClient.builder().url(odoo.url()).database("ragmail").username("admin")
                .password("admin").build()).maxRecordsPerKind(3).build();

        List<String> orders = erp.factsFor(verified("orders@acme.example")).orElseThrow().records().stream()
                .filter(r -> r.kind().equals("order")).map(ErpRecord::reference).toList();

        assertThat(orders).containsExactly("S10012", "S10011", "S10010");
    }

    // ---- the database captured on 2026-12-04 (pairs 100-166), read by the recommended Sales / User: All Documents user

    ErpClient salesUser(FakeOdooServer server) {
        return OdooErpClient.builder(OdooClient.builder().url(server.url()).database(server.database()).username("ragmail.internal")
                .password("internal-pw").sleeper(d -> { }).maxAttempts(1).build()).build();
    }

    static org.assertj.core.groups.Tuple kindAndReference(String kind, String reference) {
        return org.assertj.core.groups.Tuple.tuple(kind, reference);
    }

    @Test
    void without_the_delivery_module_the_tracking_number_is_left_out_and_the_rest_of_the_facts_stay() {
        odoo = FakeOdooServer.builder().demoData(FakeOdooServer.DemoDatabase.CAPTURED_2026_12_04).withoutModule("delivery").build();
        ErpClient erp = salesUser(odoo);
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(OdooErpClient.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> warnings = new ch.qos.logback.core.read.ListAppender<>();
        warnings.start();
        log.addAppender(warnings);

        CustomerFacts facts;
        CustomerFacts again;
        try {
            facts = erp.factsFor(verified("deco.addict82@example.com")).orElseThrow();
            odoo.resetCounts();
            again = erp.factsFor(verified("deco.addict82@example.com")).orElseThrow();
        } finally {
            log.detachAppender(warnings);
        }

        assertThat(facts.records()).extracting(ErpRecord::kind, ErpRecord::reference).containsExactly(
                kindAndReference("order", "S00001"), kindAndReference("quotation", "S00005"),
                kindAndReference("invoice", "INV/2026/00004"), kindAndReference("invoice", "INV/2026/00003"),
                kindAndReference("invoice", "INV/2026/00001"), kindAndReference("delivery", "WH/OUT/00014"));
        assertThat(facts.records().get(5).fields()).containsEntry("order", "S00001").doesNotContainKey("tracking");
        assertThat(again).isEqualTo(facts);
        assertThat(odoo.requestCount("search_read")).as("the partner and the three models, no failing query again").isEqualTo(4);
        assertThat(warnings.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .filteredOn(m -> m.contains("carrier_tracking_ref")).hasSize(1);
    }

    @Test
    void an_odoo_without_email_normalized_still_finds_senders_by_email() {
        odoo = FakeOdooServer.builder().model(io.ragmail.testkit.odoo.FakeOdooModel.standardModels().get("res.partner")
                .without("email_normalized")).build();
        int acmeCorp = odoo.create("res.partner", Map.of("name", "Acme Corp", "is_company", true, "email", "orders@acme.example"));
        ErpClient erp = erp();

        assertThat(erp.factsFor(verified("ORDERS@acme.example"))).map(CustomerFacts::customerId).contains("odoo:res.partner:" + acmeCorp);
        assertThat(erp.factsFor(verified("orders@acme.example"))).isPresent();
    }

    @Test
    void the_sales_user_on_a_database_without_stock_gets_orders_and_invoices() {
        odoo = FakeOdooServer.builder().demoData(FakeOdooServer.DemoDatabase.CAPTURED_2026_12_04_NOSTOCK).build();

        CustomerFacts facts = salesUser(odoo).factsFor(verified("deco.addict82@example.com")).orElseThrow();

        assertThat(facts.customerName()).isEqualTo("Deco Addict");
        assertThat(facts.records()).extracting(ErpRecord::kind).containsExactly("order", "quotation", "invoice", "invoice", "invoice");
    }

    @Test
    void archiving_a_contact_keeps_the_deliveries_made_out_to_them_in_the_companys_facts() {
        odoo = FakeOdooServer.builder().demoData(FakeOdooServer.DemoDatabase.CAPTURED_2026_12_04).build();
        odoo.archive("res.partner", 31); // Oscar Morgan of Gemini Furniture, named on WH/OUT/00010-13 (pair 122)

        CustomerFacts facts = salesUser(odoo).factsFor(verified("gemini.furniture39@example.com")).orElseThrow();

        assertThat(facts.records()).filteredOn(r -> r.kind().equals("delivery")).extracting(ErpRecord::reference)
                .containsExactly("WH/OUT/00012", "WH/OUT/00011", "WH/OUT/00010", "WH/OUT/00013");
    }

    @Test
    void addresses_stored_with_a_display_name_or_a_trailing_space_are_found() {
        odoo = FakeOdooServer.builder().demoData(FakeOdooServer.DemoDatabase.CAPTURED_2026_12_04).build();
        ErpClient erp = salesUser(odoo);

        // stored as "Formatted Person" <formatted.person@ragmail.test> and as "spaced.person@ragmail.test " (pair 130)
        assertThat(erp.factsFor(verified("formatted.person@ragmail.test"))).map(CustomerFacts::customerName).contains("Azure Interior");
        assertThat(erp.factsFor(verified("Formatted.Person@RAGMAIL.test"))).map(CustomerFacts::customerName).contains("Azure Interior");
        assertThat(erp.factsFor(verified("spaced.person@ragmail.test"))).map(CustomerFacts::customerName).contains("Azure Interior");
        assertThat(erp.factsFor(verified("archived.person@ragmail.test"))).as("an archived contact (137)").isEmpty();
    }

    @Test
    void states_are_told_in_customer_words_and_quotations_are_not_orders() {
        odoo = FakeOdooServer.builder().demoData(FakeOdooServer.DemoDatabase.CAPTURED_2026_12_04).build();

        List<ErpRecord> records = salesUser(odoo).factsFor(verified("deco.addict82@example.com")).orElseThrow().records();

        assertThat(records).extracting(ErpRecord::kind, ErpRecord::reference, r -> r.fields().get("status")).containsExactly(
                org.assertj.core.groups.Tuple.tuple("order", "S00001", "confirmed order"),
                org.assertj.core.groups.Tuple.tuple("quotation", "S00005", "quotation"),
                org.assertj.core.groups.Tuple.tuple("invoice", "INV/2026/00004", "not paid"),
                org.assertj.core.groups.Tuple.tuple("invoice", "INV/2026/00003", "partly paid"),
                org.assertj.core.groups.Tuple.tuple("invoice", "INV/2026/00001", "not paid"),
                org.assertj.core.groups.Tuple.tuple("delivery", "WH/OUT/00014", "being prepared"));
        assertThat(records).allSatisfy(r -> assertThat(r.fields()).doesNotContainKey("state").doesNotContainKey("payment_state"));
        assertThat(records.get(3).fields()).containsEntry("amount_due", "47012.50").containsEntry("currency", "USD");
    }

    @Test
    void a_portal_user_gets_no_fault_and_no_facts() {
        odoo = FakeOdooServer.builder().demoData(FakeOdooServer.DemoDatabase.CAPTURED_2026_12_04).build();
        ErpClient erp = OdooErpClient.builder(OdooClient.builder().url(odoo.url()).database("ragmail").username("ragmail.portal")
                .password("portal-pw").sleeper(d -> { }).maxAttempts(1).build()).build();

        // record rules show a portal user nobody but itself (pair 141), so no sender is ever found
        assertThat(erp.factsFor(verified("deco.addict82@example.com"))).isEmpty();
    }
}
