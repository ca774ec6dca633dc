package io.ragmail.core.erp;

import io.ragmail.core.CustomerFacts;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.SenderIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonFileErpClientTest {

    static final String CUSTOMERS = """
            {"customers": [
              {"id": "C-1", "name": "Ada Lovelace", "emails": ["Ada@Customers.example"],
               "records": [{"kind": "order", "reference": "S00042", "fields": {"status": "shipped"}}]},
              {"id": "C-2", "name": "Shared Desk GmbH", "emails": ["office@shared.example"], "records": []},
              {"id": "C-3", "name": "Shared Desk AG", "emails": ["office@shared.example"], "records": []}
            ]}
            """;

    @TempDir
    Path dir;

    JsonFileErpClient erp() throws Exception {
        return JsonFileErpClient.fromFile(Files.writeString(dir.resolve("customers.json"), CUSTOMERS));
    }

    @Test
    void a_verified_sender_gets_their_own_records_whatever_the_case_of_the_address() throws Exception {
        Optional<CustomerFacts> facts = erp().factsFor(new SenderIdentity(EmailAddress.of("ada@customers.example"), true));

        assertThat(facts).hasValueSatisfying(f -> {
            assertThat(f.customerName()).isEqualTo("Ada Lovelace");
            assertThat(f.records()).singleElement().satisfies(r -> {
                assertThat(r.reference()).isEqualTo("S00042");
                assertThat(r.fields()).containsEntry("status", "shipped");
            });
        });
    }

    @Test
    void an_unverified_sender_gets_the_name_but_no_records() throws Exception {
        Optional<CustomerFacts> facts = erp().factsFor(new SenderIdentity(EmailAddress.of("ada@customers.example"), false));

        assertThat(facts).hasValueSatisfying(f -> assertThat(f.records()).isEmpty());
    }

    @Test
    void an_address_shared_by_two_customers_and_an_unknown_address_match_nobody() throws Exception {
        JsonFileErpClient erp = erp();

        assertThat(erp.factsFor(new SenderIdentity(EmailAddress.of("office@shared.example"), true))).isEmpty();
        assertThat(erp.factsFor(new SenderIdentity(EmailAddress.of("eve@elsewhere.example"), true))).isEmpty();
    }

    @Test
    void a_malformed_file_names_itself_and_the_problem() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.json"), "{\"customers\": [{\"name\": \"No Id\", \"emails\": [\"x@y.example\"]}]}");

        assertThatThrownBy(() -> JsonFileErpClient.fromFile(file))
                .isInstanceOf(NonRetriableException.class)
                .hasMessageContaining("bad.json").hasMessageContaining("\"id\"");
    }
}
