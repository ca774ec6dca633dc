package io.ragmail.odoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.RetriableException;
import io.ragmail.testkit.odoo.FakeOdooServer;
import io.ragmail.testkit.odoo.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Incremental Odoo → knowledge sync against FakeOdooServer, with a recording store (the Lucene store is not in this branch). */
class OdooKnowledgeSyncTest {

    @TempDir
    Path dataDir;
    SettableClock clock = new SettableClock(Instant.parse("2026-11-28T23:39:00.100Z"));
    FakeOdooServer odoo;
    OdooClient client;
    RecordingKnowledgeStore store = new RecordingKnowledgeStore();
    int cat;

    @BeforeEach
    void start() {
        odoo = FakeOdooServer.builder().clock(clock).build();
        client = OdooClient.builder().url(odoo.url()).database("ragmail").username("admin").password("admin")
                .maxAttempts(2).sleeper(d -> { }).clock(clock).build();
        cat = odoo.create("product.category", Map.of("name", "Solvents"));
    }

    @AfterEach
    void stop() {
        odoo.close();
    }

    OdooKnowledgeSync sync() {
        return OdooKnowledgeSync.builder(client, store, dataDir).clock(clock).pageSize(2).build();
    }

    int product(String name, double price) {
        return odoo.create("product.template", Map.of("name", name, "list_price", price, "categ_id", cat,
                "default_code", "SKU-" + name.hashCode(), "description_sale", "Keep cool & dry",
                "description", "<p>Internal: bought from <b>Solvix</b> at 4.10</p>"));
    }

    @Test
    void the_first_run_turns_every_product_into_a_document() {
        int acetone = product("Acetone 1 l", 12.5);
        product("Ethanol 1 l", 9.0);
        product("Toluene 1 l", 15.0);

        OdooSyncReport report = sync().runOnce();

        assertThat(report.fetched()).isEqualTo(3);
        assertThat(report.upserted()).isEqualTo(3);
        KnowledgeDocument doc = store.documents.get("odoo:product.template:" + acetone);
        assertThat(doc.title()).isEqualTo("Acetone 1 l");
        assertThat(doc.text()).contains("Acetone 1 l", "Category: Solvents", "Price: 12.5", "Keep cool & dry")
                .doesNotContain("description_sale");
        assertThat(doc.metadata()).containsEntry("model", "product.template").containsEntry("write_date", "2026-11-28 23:39:00");
        assertThat(Files.exists(dataDir.resolve(OdooKnowledgeSync.DEFAULT_STATE_FILE))).isTrue();
    }

    @Test
    void picks_up_creates_updates_archives_and_deletes() {
        int a = product("A", 1);
        int b = product("B", 2);
        int c = product("C", 3);
        OdooKnowledgeSync sync = sync();
        sync.runOnce();
        store.clearLog();

        clock.advance(Duration.ofSeconds(5));
        int d = product("D", 4);
        odoo.write("product.template", a, Map.of("list_price", 1.5));
        odoo.archive("product.template", b);
        odoo.unlink("product.template", c);
        clock.advance(Duration.ofHours(2)); // reconciliation is due
        OdooSyncReport report = sync.runOnce();

        assertThat(store.upserted).containsExactlyInAnyOrder("odoo:product.template:" + a, "odoo:product.template:" + d);
        assertThat(store.deleted).containsExactlyInAnyOrder("odoo:product.template:" + b, "odoo:product.template:" + c);
        assertThat(store.documents).containsOnlyKeys("odoo:product.template:" + a, "odoo:product.template:" + d);
        assertThat(store.documents.get("odoo:product.template:" + a).text()).contains("Price: 1.5");
        assertThat(report.reconciled()).isTrue();
    }

    @Test
    void records_written_later_in_the_same_second_are_not_missed() {
        int first = product("First", 1);
        OdooKnowledgeSync sync = sync();
        sync.runOnce();

        clock.advance(Duration.ofMillis(300)); // same second 23:39:00 on the wire
        int second = product("Second", 2);
        odoo.write("product.template", first, Map.of("name", "First, renamed"));
        clock.advance(Duration.ofMillis(100));
        store.clearLog();
        sync.runOnce();

        assertThat(store.upserted).containsExactlyInAnyOrder("odoo:product.template:" + first, "odoo:product.template:" + second);
        assertThat(store.documents.get("odoo:product.template:" + first).title()).isEqualTo("First, renamed");
    }

    @Test
    void nothing_changed_costs_one_call_per_model_and_one_per_related_model_and_writes_nothing() {
        for (int i = 0; i < 5; i++) {
            product("P" + i, i);
        }
        OdooKnowledgeSync sync = sync();
        sync.runOnce();
        clock.advance(Duration.ofMinutes(10));
        sync.runOnce(); // settles the cursor
        store.clearLog();
        odoo.resetCounts();

        OdooSyncReport report = sync.runOnce();

        // one search_read for the products, one for their categories (whose renaming changes the products' text)
        assertThat(odoo.requestCount()).isEqualTo(2);
        assertThat(odoo.requestCount("search_read")).isEqualTo(2);
        assertThat(report.calls()).isEqualTo(2);
        assertThat(report.upserted()).isZero();
        assertThat(store.upserted).isEmpty();
    }

    @Test
    void the_cursor_survives_a_restart() {
        product("A", 1);
        sync().runOnce();
        clock.advance(Duration.ofMinutes(10));
        sync().runOnce();
        store.clearLog();
        odoo.resetCounts();

        OdooKnowledgeSync restarted = OdooKnowledgeSync.builder(client, store, dataDir).clock(clock).build();
        restarted.runOnce();

        assertThat(store.upserted).isEmpty();
        assertThat(odoo.requestCount("read")).isZero();
        assertThat(odoo.requestCount("search")).isZero();
        assertThat(odoo.requestCount("search_read")).isEqualTo(2);
    }

    @Test
    void while_odoo_is_down_the_run_fails_retriably_and_catches_up_afterwards() {
        product("A", 1);
        OdooKnowledgeSync sync = sync();
        sync.runOnce();
        odoo.goDown();
        clock.advance(Duration.ofSeconds(30));

        assertThatThrownBy(sync::runOnce).isInstanceOf(RetriableException.class);
        assertThatThrownBy(sync::runOnce).isInstanceOf(RetriableException.class);

        odoo.comeUp();
        int b = product("B", 2);
        clock.advance(OdooClient.DEFAULT_CIRCUIT_OPEN_DURATION.plusSeconds(1)); // in case the breaker opened
        OdooSyncReport report = sync.runOnce();

        assertThat(report.upserted()).isEqualTo(1);
        assertThat(store.documents).containsKey("odoo:product.template:" + b);
    }

    @Test
    void full_resync_rewrites_everything_and_drops_what_is_gone() {
        int a = product("A", 1);
        OdooKnowledgeSync sync = sync();
        sync.runOnce();
        store.documents.put("odoo:product.template:999", new KnowledgeDocument("odoo:product.template:999", "stale", "stale"));
        odoo.unlink("product.template", a);
        int b = product("B", 2);
        store.clearLog();

        OdooSyncReport report = sync.fullResync();

        assertThat(store.upserted).containsExactly("odoo:product.template:" + b);
        assertThat(store.deleted).contains("odoo:product.template:" + a);
        assertThat(report.reconciled()).isTrue();
    }

    @Test
    void records_leaving_the_domain_are_removed_at_reconciliation() {
        int a = odoo.create("product.template", Map.of("name", "Sellable", "sale_ok", true));
        OdooKnowledgeSync sync = OdooKnowledgeSync.builder(client, store, dataDir).clock(clock)
                .models(List.of(OdooSyncModel.PRODUCT_TEMPLATE.withDomain(OdooDomain.where("sale_ok", "=", true)))).build();
        sync.runOnce();
        assertThat(store.documents).containsKey("odoo:product.template:" + a);

        odoo.write("product.template", a, Map.of("sale_ok", false));
        clock.advance(Duration.ofHours(2));
        sync.runOnce();

        assertThat(store.documents).isEmpty();
    }

    @Test
    void an_unknown_field_in_the_configuration_is_a_clear_error_naming_it() {
        OdooKnowledgeSync sync = OdooKnowledgeSync.builder(client, store, dataDir)
                .models(List.of(OdooSyncModel.of("product.template", List.of("name", "no_such_field"), "{name} {no_such_field}")))
                .build();

        assertThatThrownBy(sync::runOnce).isInstanceOf(OdooConfigurationException.class)
                .hasMessageContaining("product.template").hasMessageContaining("no_such_field");
    }

    @Test
    void configurable_models_fields_and_templates() {
        int p = odoo.create("res.partner", Map.of("name", "Help Desk", "email", "help@example.com", "phone", "555"));
        OdooKnowledgeSync sync = OdooKnowledgeSync.builder(client, store, dataDir).models(List.of(
                OdooSyncModel.of("res.partner", List.of("name", "email", "phone", "website"),
                        "Contact: {name}\nMail: {email}\nWeb: {website}\nPhone: {phone}"))).build();

        sync.runOnce();

        assertThat(store.documents.get("odoo:res.partner:" + p).text()).isEqualTo("Contact: Help Desk\nMail: help@example.com\nPhone: 555");
    }

    @Test
    void template_placeholders_must_be_configured_fields() {
        assertThatThrownBy(() -> OdooSyncModel.of("product.template", List.of("name"), "{name} {price}"))
                .hasMessageContaining("{price}");
        assertThatThrownBy(() -> OdooKnowledgeSync.builder(client, store, dataDir).pageSize(0).build()).hasMessageContaining("pageSize");
    }

    @Test
    void internal_notes_and_products_that_cannot_be_sold_stay_out_of_the_knowledge_by_default() {
        int acetone = product("Acetone 1 l", 12.5);
        int sample = product("Lab sample, not for sale", 0);
        odoo.write("product.template", sample, Map.of("sale_ok", false));

        sync().runOnce();

        // Odoo labels description "Internal Notes ... only for internal purposes"
        assertThat(store.documents.get("odoo:product.template:" + acetone).text()).contains("Keep cool & dry")
                .doesNotContain("Solvix").doesNotContain("4.10");
        assertThat(store.documents).containsOnlyKeys("odoo:product.template:" + acetone);
    }

    @Test
    void a_run_inside_the_overlap_after_a_bulk_change_reads_nothing_it_has_already_read() {
        for (int i = 0; i < 40; i++) {
            product("Bulk " + i, i);
        }
        OdooKnowledgeSync sync = sync();
        clock.advance(Duration.ofSeconds(20));
        sync.runOnce();
        clock.advance(Duration.ofSeconds(30)); // still inside the 2-minute overlap: the 40 records are found again
        odoo.resetCounts();
        store.clearLog();

        OdooSyncReport report = sync.runOnce();

        assertThat(odoo.requestCount("read")).isZero();
        assertThat(report.fetched()).isZero();
        assertThat(store.upserted).isEmpty();
    }

    @Test
    void renaming_a_category_updates_the_text_of_its_products() {
        // the database and the rename of pairs 160-166, read by the Sales user
        SettableClock odooClock = new SettableClock(Instant.parse("2026-12-04T19:00:00Z"));
        try (FakeOdooServer captured = FakeOdooServer.builder().clock(odooClock)
                .demoData(FakeOdooServer.DemoDatabase.CAPTURED_2026_12_04).build()) {
            OdooClient sales = OdooClient.builder().url(captured.url()).database("ragmail").username("ragmail.internal")
                    .password("internal-pw").maxAttempts(1).sleeper(d -> { }).clock(odooClock).build();
            OdooKnowledgeSync sync = OdooKnowledgeSync.builder(sales, store, dataDir).clock(odooClock).build();
            sync.runOnce();
            assertThat(store.documents.get("odoo:product.template:7").text()).contains("Category: All / Saleable / Software");
            odooClock.set(Instant.parse("2026-12-04T19:11:18.410Z"));
            captured.write("product.category", 7, Map.of("name", "Software Renamed"));
            odooClock.advance(Duration.ofSeconds(30));
            store.clearLog();

            sync.runOnce();

            assertThat(store.upserted).containsExactly("odoo:product.template:7");
            assertThat(store.documents.get("odoo:product.template:7").text()).contains("Category: All / Saleable / Software Renamed");

            odooClock.advance(Duration.ofSeconds(30)); // inside the overlap: the rename is found again, but not re-read
            captured.resetCounts();
            sync.runOnce();
            assertThat(captured.requestCount("read")).isZero();
        }
    }
}
