package io.ragmail.examples.adapter;

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
}
