package io.ragmail.odoo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.Passage;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.testkit.odoo.FakeOdooServer;
import io.ragmail.testkit.odoo.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Odoo products reach the real knowledge store: synced from FakeOdooServer into a Lucene index with
 * the in-process embedding model, found by a customer's question, and gone once archived.
 */
class OdooSyncIntoLuceneTest {

    @TempDir
    Path dataDir;
    SettableClock clock = new SettableClock(Instant.parse("2026-11-28T10:00:00Z"));
    FakeOdooServer odoo;
    OdooClient client;
    LuceneKnowledgeStore store;
    int solvents;

    @BeforeEach
    void start() {
        odoo = FakeOdooServer.builder().clock(clock).build();
        client = OdooClient.builder().url(odoo.url()).database("ragmail").username("admin").password("admin")
                .maxAttempts(2).sleeper(d -> { }).clock(clock).build();
        store = LuceneKnowledgeStore.builder().directory(dataDir.resolve("index")).build();
        solvents = odoo.create("product.category", Map.of("name", "Solvents"));
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        odoo.close();
    }

    private int product(String name, String code, String description, double price) {
        return odoo.create("product.template", Map.of("name", name, "default_code", code, "list_price", price,
                "categ_id", solvents, "description_sale", description));
    }

    private List<String> search(String question) {
        return store.search(KnowledgeQuery.of(question)).stream().map(Passage::sourceId).toList();
    }

    @Test
    void synced_products_are_found_by_code_and_by_meaning_and_leave_when_archived() {
        int acetone = product("Acetone technical grade", "ACE-500",
                "Fast-evaporating solvent for degreasing and cleaning; also sold as nail polish remover base. "
                        + "Highly flammable liquid, flash point -20 °C.", 24.90);
        product("Isopropyl alcohol 99%", "IPA-200",
                "Disinfection and cleaning of electronics; leaves no residue.", 18.50);
        product("Sodium hydroxide pellets", "NAO-100",
                "Caustic soda for drain cleaning and soap making; corrosive.", 12.00);
        OdooKnowledgeSync sync = OdooKnowledgeSync.builder(client, store, dataDir).clock(clock).build();

        OdooSyncReport first = sync.runOnce();

        assertThat(first.upserted()).isEqualTo(3);
        String acetoneId = "odoo:product.template:" + acetone;
        assertThat(search("Do you have ACE-500 in stock?")).first().isEqualTo(acetoneId);
        assertThat(search("which of your solvents removes nail polish?")).contains(acetoneId);
        assertThat(store.search(KnowledgeQuery.of("ACE-500")).get(0).text()).contains("24.9");

        clock.advance(Duration.ofMinutes(5));
        odoo.archive("product.template", acetone);
        clock.advance(Duration.ofMinutes(5));
        sync.runOnce();

        assertThat(search("Do you have ACE-500 in stock?")).doesNotContain(acetoneId);
        assertThat(store.sourceVersions("odoo:product.template:")).hasSize(2);
    }
}
