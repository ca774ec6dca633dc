package io.ragmail.core.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragmail.core.CustomerFacts;
import io.ragmail.core.ErpClient;
import io.ragmail.core.ErpRecord;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.SenderIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Customer facts from a JSON file: for a company without an ERP that ragmail can reach, for a demo,
 * or for tests. The file is read once; every lookup is scoped to the sender's own address, and an
 * unverified sender gets the customer's name only, never their records (as {@code OdooErpClient}).
 *
 * <pre>{@code
 * ErpClient erp = JsonFileErpClient.fromFile(Path.of("customers.json"));
 * }</pre>
 *
 * <p>The format:
 * <pre>{@code
 * {"customers": [
 *   {"id": "C-1001", "name": "Ada Lovelace", "emails": ["ada@customers.example"],
 *    "records": [{"kind": "order", "reference": "S00042",
 *                 "fields": {"status": "shipped", "tracking": "1Z999AA10123456784"}}]}
 * ]}
 * }</pre>
 * An address that belongs to more than one customer matches none of them (the reply then goes out
 * without private facts): guessing would show one customer's orders to another.
 */
public final class JsonFileErpClient implements ErpClient {

    private static final Logger LOG = LoggerFactory.getLogger(JsonFileErpClient.class);
    private static final String COMPONENT = "erp";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<String, List<CustomerFacts>> byAddress;

    private JsonFileErpClient(List<Customer> customers) {
        Map<String, List<CustomerFacts>> index = new HashMap<>();
        for (Customer customer : customers) {
            CustomerFacts facts = customer.toFacts();
            for (String email : customer.emails()) {
                index.computeIfAbsent(normalise(email), e -> new ArrayList<>()).add(facts);
            }
        }
        index.replaceAll((address, list) -> List.copyOf(list));
        this.byAddress = Map.copyOf(index);
    }

    /** Reads {@code file}; a missing or malformed file is a {@link NonRetriableException} naming it. */
    public static JsonFileErpClient fromFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return fromJson(in, file.toString());
        } catch (IOException e) {
            throw new NonRetriableException(COMPONENT, "cannot read customer file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the customers from {@code json}; {@code name} says where they came from, for errors. */
    public static JsonFileErpClient fromJson(InputStream json, String name) {
        try {
            CustomerFile file = JSON.readValue(json, CustomerFile.class);
            if (file.customers() == null) {
                throw new NonRetriableException(COMPONENT, "customer file " + name + " has no \"customers\" list");
            }
            return new JsonFileErpClient(file.customers());
        } catch (IllegalArgumentException e) {
            throw new NonRetriableException(COMPONENT, "customer file " + name + " is not valid: " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new NonRetriableException(COMPONENT, "customer file " + name + " is not valid: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new NonRetriableException(COMPONENT, "cannot read customer file " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<CustomerFacts> factsFor(SenderIdentity sender) {
        List<CustomerFacts> matches = byAddress.getOrDefault(normalise(sender.address().address()), List.of());
        if (matches.size() > 1) {
            LOG.warn("{} belongs to {} customers; no customer facts are used for it", sender.address().address(),
                    matches.size());
            return Optional.empty();
        }
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        CustomerFacts facts = matches.get(0);
        return Optional.of(sender.verified() ? facts : new CustomerFacts(facts.customerId(), facts.customerName(), List.of()));
    }

    private static String normalise(String address) {
        return address.strip().toLowerCase(Locale.ROOT);
    }

    private record CustomerFile(List<Customer> customers) {
    }

    private record Customer(String id, String name, List<String> emails, List<Entry> records) {

        CustomerFacts toFacts() {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("every customer needs an \"id\"");
            }
            if (emails == null || emails.isEmpty()) {
                throw new IllegalArgumentException("customer " + id + " needs at least one address in \"emails\"");
            }
            List<ErpRecord> list = new ArrayList<>();
            for (Entry entry : records == null ? List.<Entry>of() : records) {
                if (entry.kind() == null || entry.reference() == null) {
                    throw new IllegalArgumentException("a record of customer " + id + " needs \"kind\" and \"reference\"");
                }
                list.add(new ErpRecord(entry.kind(), entry.reference(), entry.fields() == null ? Map.of() : entry.fields()));
            }
            return new CustomerFacts(id, name, list);
        }
    }

    private record Entry(String kind, String reference, Map<String, String> fields) {
    }
}
