package io.ragmail.examples.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.ragmail.core.Passage;

import io.ragmail.core.KnowledgeQuery;

import io.ragmail.core.KnowledgeDocument;

import io.ragmail.core.KnowledgeStore;
import io.ragmail.testkit.contract.KnowledgeStoreContract;

import java.util.List;
import java.util.Map;

/**
 * Runs ragmail's compatibility kit against the keyword store: every test of
 * {@link KnowledgeStoreContract} (upsert replaces by source id, delete, ranking, filters,
 * maxResults, long documents cut into passages) runs here as if written in this class.
 *
 * <p>The kit asks questions worded unlike its documents ("until my parcel arrives" for a text about
 * shipping and delivery), as customers do. Without the thesaurus below, the keyword store fails
 * {@code a_search_returns_the_passage_that_answers_with_its_source_id_and_title}: the kit found the
 * weakness it is there to find, and the fix is the store's thesaurus, not a weaker test.
 */
class KeywordKnowledgeStoreTest extends KnowledgeStoreContract {

    /** The words customers use, mapped to the words the shop's documents use. */
    static final Map<String, List<String>> SHOP_THESAURUS = Map.of(
            "parcel", List.of("shipping", "delivery", "order"),
            "arrive", List.of("delivery"),
            "money", List.of("refund"),
            "pay", List.of("payment"));

    @Override
    protected KnowledgeStore newStore() {
        return new KeywordKnowledgeStore(SHOP_THESAURUS);
    }

    @Test
    void the_thesaurus_is_what_lets_a_customers_own_words_find_the_shipping_page() {
        List<KnowledgeDocument> documents = List.of(
                new KnowledgeDocument("faq:shipping", "Shipping times", "Orders leave our warehouse within two working days; delivery takes one more."),
                new KnowledgeDocument("sds:acetone", "Acetone", "Acetone is highly flammable. Store it below 25 degrees."));
        KnowledgeQuery question = KnowledgeQuery.of("How long until my parcel arrives?");
        try (KnowledgeStore plain = new KeywordKnowledgeStore(); KnowledgeStore withThesaurus = newStore()) {
            plain.upsert(documents);
            withThesaurus.upsert(documents);

            assertThat(withThesaurus.search(question)).first().extracting(Passage::sourceId).isEqualTo("faq:shipping");
            assertThat(plain.search(question)).noneMatch(p -> p.sourceId().equals("faq:shipping") && p.score() > 0);
        }
    }
}
