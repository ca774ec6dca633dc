package io.ragmail.testkit.contract;

import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.Passage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compatibility kit every {@link KnowledgeStore} must pass: upsert adds and replaces by source
 * id, delete removes, search returns passages with source id and title, honours metadata filters and
 * {@code maxResults}. The ranking questions are worded unlike the documents, so a vector-only store
 * passes as well as a hybrid one; the delete and filter tests search with the documents' own words
 * and assert on source ids, so a keyword store that returns only matching passages passes them too.
 *
 * <pre>{@code
 * class MyStoreTest extends KnowledgeStoreContract {
 *     @Override protected KnowledgeStore newStore() { return new MyStore(freshIndex()); }
 * }
 * }</pre>
 *
 * A store that is {@link AutoCloseable} is closed after each test.
 */
public abstract class KnowledgeStoreContract {

    protected static final KnowledgeDocument SHIPPING = new KnowledgeDocument("faq:shipping", "Shipping times",
            "We ship every order within two working days from our warehouse in Lyon. "
                    + "Express delivery reaches you the next day.",
            Map.of("type", "faq", "language", "en"));
    protected static final KnowledgeDocument ACETONE = new KnowledgeDocument("sds:acetone", "Acetone safety data sheet",
            "Acetone (CAS 67-64-1) is a highly flammable liquid and vapour. Keep away from heat, sparks and "
                    + "open flames. Flash point -20 degrees Celsius. Store in a cool, well-ventilated place.",
            Map.of("type", "sds", "language", "en"));
    protected static final KnowledgeDocument GLOVES = new KnowledgeDocument("product:gloves", "Nitrile gloves",
            "Disposable nitrile gloves, powder free, in sizes S to XL, sold in boxes of 100 pieces.",
            Map.of("type", "product", "language", "en"));
    protected static final KnowledgeDocument RETURNS = new KnowledgeDocument("faq:returns", "Returns and refunds",
            "Unopened products can be returned within 30 days for a full refund. Contact us for a return label.",
            Map.of("type", "faq", "language", "en"));

    /** The store under test, created by {@link #newStore()} before each test. */
    protected KnowledgeStore store;

    /** A new, empty store; called once before each test. */
    protected abstract KnowledgeStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected List<Passage> search(String text, int maxResults) {
        return store.search(new KnowledgeQuery(text, maxResults, Map.of()));
    }

    @Test
    void an_empty_store_finds_nothing() {
        assertThat(search("how long does delivery take?", 5)).isEmpty();
    }

    @Test
    void a_search_returns_the_passage_that_answers_with_its_source_id_and_title() {
        store.upsert(List.of(SHIPPING, ACETONE, GLOVES, RETURNS));

        List<Passage> passages = search("How long does it take until my parcel arrives?", 3);

        assertThat(passages).isNotEmpty();
        Passage best = passages.get(0);
        assertThat(best.sourceId()).isEqualTo("faq:shipping");
        assertThat(best.title()).isEqualTo("Shipping times");
        assertThat(best.text()).contains("two working days");
    }

    @Test
    void passages_are_ranked_best_first() {
        store.upsert(List.of(SHIPPING, ACETONE, GLOVES, RETURNS));

        List<Passage> passages = search("can I send back an item and get my money back?", 4);

        assertThat(passages.get(0).sourceId()).isEqualTo("faq:returns");
        for (int i = 1; i < passages.size(); i++) {
            assertThat(passages.get(i).score()).isLessThanOrEqualTo(passages.get(i - 1).score());
        }
    }

    @Test
    void an_upsert_replaces_every_passage_of_the_same_source_id() {
        store.upsert(List.of(SHIPPING, ACETONE, GLOVES));

        store.upsert(List.of(new KnowledgeDocument("faq:shipping", "Shipping times",
                "Orders now leave our warehouse within five working days.", Map.of("type", "faq"))));

        List<Passage> passages = search("How long does it take until my parcel arrives?", 10);
        assertThat(passages).extracting(Passage::sourceId).contains("faq:shipping");
        assertThat(passages).filteredOn(p -> p.sourceId().equals("faq:shipping"))
                .allSatisfy(p -> assertThat(p.text()).contains("five working days"));
        assertThat(passages).noneSatisfy(p -> assertThat(p.text()).contains("two working days"));
    }

    @Test
    void upserting_the_same_document_twice_keeps_one_copy() {
        store.upsert(List.of(SHIPPING, ACETONE));
        store.upsert(List.of(SHIPPING));

        List<Passage> passages = search("delivery time for my order", 10);

        assertThat(passages).filteredOn(p -> p.sourceId().equals("faq:shipping")).hasSize(1);
    }

    @Test
    void when_a_batch_holds_a_source_id_twice_the_last_version_wins() {
        KnowledgeDocument newer = new KnowledgeDocument("faq:shipping", "Shipping times",
                "Every order is shipped within three working days.");

        store.upsert(List.of(SHIPPING, newer));

        List<Passage> passages = search("delivery time for my order", 10);
        assertThat(passages).filteredOn(p -> p.sourceId().equals("faq:shipping"))
                .singleElement().satisfies(p -> assertThat(p.text()).contains("three working days"));
    }

    @Test
    void delete_removes_every_passage_of_a_source_and_keeps_the_others() {
        store.upsert(List.of(SHIPPING, ACETONE, GLOVES));

        store.delete(List.of("sds:acetone"));

        // each document is searched with its own words, so that a store which returns only matching
        // passages (keyword search) is held to the same contract as one that returns the nearest (vectors)
        assertThat(search("Acetone safety data sheet: highly flammable liquid, CAS 67-64-1", 10))
                .extracting(Passage::sourceId).doesNotContain("sds:acetone");
        assertThat(search("Shipping times: we ship every order within two working days", 10))
                .extracting(Passage::sourceId).contains("faq:shipping");
        assertThat(search("Disposable nitrile gloves, powder free", 10))
                .extracting(Passage::sourceId).contains("product:gloves");
    }

    @Test
    void deleting_unknown_source_ids_or_none_is_harmless() {
        store.upsert(List.of(SHIPPING));

        store.delete(List.of("faq:does-not-exist"));
        store.delete(List.of());

        assertThat(search("delivery time", 5)).extracting(Passage::sourceId).containsExactly("faq:shipping");
    }

    @Test
    void an_empty_upsert_changes_nothing() {
        store.upsert(List.of(SHIPPING));

        store.upsert(List.of());

        assertThat(search("delivery time", 5)).extracting(Passage::sourceId).containsExactly("faq:shipping");
    }

    @Test
    void metadata_filters_keep_only_matching_documents() {
        store.upsert(List.of(SHIPPING, ACETONE, GLOVES, RETURNS));
        // names the acetone sheet and both FAQ pages in their own words: whatever a store matches on,
        // only the filter can keep the sheet out and the FAQ pages in
        String query = "Acetone safety data sheet, highly flammable; shipping times; returns and refunds";

        List<Passage> faqs = store.search(new KnowledgeQuery(query, 10, Map.of("type", "faq")));
        List<Passage> none = store.search(new KnowledgeQuery(query, 10, Map.of("type", "invoice")));
        List<Passage> both = store.search(new KnowledgeQuery(query, 10, Map.of("type", "sds", "language", "en")));
        List<Passage> conflicting = store.search(new KnowledgeQuery(query, 10, Map.of("type", "sds", "language", "de")));

        assertThat(faqs).extracting(Passage::sourceId).containsOnly("faq:shipping", "faq:returns")
                .contains("faq:shipping", "faq:returns");
        assertThat(none).isEmpty();
        assertThat(both).extracting(Passage::sourceId).containsOnly("sds:acetone").isNotEmpty();
        assertThat(conflicting).isEmpty();
    }

    @Test
    void a_search_returns_at_most_max_results_passages() {
        List<KnowledgeDocument> many = new ArrayList<>(List.of(SHIPPING, ACETONE, GLOVES, RETURNS));
        for (int i = 1; i <= 6; i++) {
            many.add(new KnowledgeDocument("faq:opening-" + i, "Opening hours " + i,
                    "Our shop number " + i + " is open from 9 to " + (16 + i) + " o'clock on weekdays."));
        }
        store.upsert(many);

        assertThat(search("when are you open?", 3)).hasSize(3);
        assertThat(search("when are you open?", 1)).hasSize(1);
    }

    @Test
    void a_long_document_is_returned_as_passages_of_it_each_naming_the_source() {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            text.append("Section ").append(i).append(": general terms about topic number ").append(i).append(". ");
        }
        text.append("Payment is due within 30 days of the invoice date by bank transfer. ");
        for (int i = 41; i <= 80; i++) {
            text.append("Section ").append(i).append(": general terms about topic number ").append(i).append(". ");
        }
        store.upsert(List.of(new KnowledgeDocument("file:terms.md", "Terms and conditions", text.toString()), SHIPPING));

        List<Passage> passages = search("when do I have to pay the invoice?", 5);

        assertThat(passages).anySatisfy(p -> assertThat(p.text()).contains("Payment is due within 30 days"));
        assertThat(passages).filteredOn(p -> p.sourceId().equals("file:terms.md")).isNotEmpty()
                .allSatisfy(p -> {
                    assertThat(p.title()).isEqualTo("Terms and conditions");
                    assertThat(p.text().length()).isLessThan(text.length());
                });
    }
}
