package io.ragmail.examples.erp;

import io.ragmail.core.AuthenticationException;
import io.ragmail.core.CustomerFacts;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.ErpRecord;
import io.ragmail.core.RetriableException;
import io.ragmail.core.SenderIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scoping rule and the error mapping, against the shop API served over HTTP. */
class ShopApiErpClientTest {

    final FakeShopApi shop = start();
    final ShopApiErpClient erp = client(FakeShopApi.TOKEN, Duration.ofSeconds(5));

    @AfterEach
    void stop() {
        shop.close();
    }

    @Test
    void a_verified_sender_gets_their_own_orders_and_nobody_elses() {
        Optional<CustomerFacts> facts = erp.factsFor(verified("Ada@Customers.example"));

        assertThat(facts).get().satisfies(f -> {
            assertThat(f.customerId()).isEqualTo("C-1001");
            assertThat(f.records()).extracting(ErpRecord::reference).containsExactly("S00042");
            assertThat(f.records().get(0).fields()).containsEntry("status", "shipped")
                    .containsEntry("tracking", "1Z999AA10123456784");
        });
        // the search also returned ada@customers.example.org (C-1002): its orders were never asked for
        assertThat(shop.requested()).containsExactly("/api/v1/customers?email=ada@customers.example",
                "/api/v1/customers/C-1001/orders");
    }

    @Test
    void an_unverified_sender_gets_the_name_only_and_their_orders_are_not_even_fetched() {
        Optional<CustomerFacts> facts = erp.factsFor(new SenderIdentity(EmailAddress.of("ada@customers.example"), false));

        assertThat(facts).get().satisfies(f -> {
            assertThat(f.customerName()).isEqualTo("Ada Lovelace");
            assertThat(f.records()).isEmpty();
        });
        assertThat(shop.requested()).noneMatch(path -> path.endsWith("/orders"));
    }

    @Test
    void an_address_shared_by_two_customers_matches_none() {
        assertThat(erp.factsFor(verified("purchasing@builders.example"))).isEmpty();
        assertThat(shop.requested()).noneMatch(path -> path.endsWith("/orders"));
    }

    @Test
    void a_near_match_from_the_search_is_not_the_sender() {
        // the API's prefix search finds carol@customers.example for "carol@customers.ex"
        assertThat(erp.factsFor(verified("carol@customers.ex"))).isEmpty();
        assertThat(erp.factsFor(verified("nobody@customers.example"))).isEmpty();
    }

    @Test
    void server_errors_and_rate_limits_are_retriable_and_keep_the_apis_retry_after() {
        shop.failNext(new FakeShopApi.Fault(503, 0, 0)).failNext(new FakeShopApi.Fault(429, 30, 0));

        assertThatThrownBy(() -> erp.factsFor(verified("ada@customers.example"))).isInstanceOf(RetriableException.class);
        assertThatThrownBy(() -> erp.factsFor(verified("ada@customers.example")))
                .isInstanceOfSatisfying(RetriableException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(30)));
        assertThat(erp.factsFor(verified("ada@customers.example"))).isPresent(); // and it passes again
    }

    @Test
    void a_timeout_or_an_unreachable_api_is_retriable() {
        shop.failNext(new FakeShopApi.Fault(200, 0, 2_000));
        ShopApiErpClient impatient = client(FakeShopApi.TOKEN, Duration.ofMillis(300));

        assertThatThrownBy(() -> impatient.factsFor(verified("ada@customers.example"))).isInstanceOf(RetriableException.class);

        shop.close();
        assertThatThrownBy(() -> erp.factsFor(verified("ada@customers.example"))).isInstanceOf(RetriableException.class);
    }

    @Test
    void a_rejected_token_is_an_authentication_failure_that_does_not_reveal_the_token() {
        ShopApiErpClient wrong = client("stale-token-987", Duration.ofSeconds(5));

        assertThatThrownBy(() -> wrong.factsFor(verified("ada@customers.example")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageNotContaining("stale-token-987");
    }

    private ShopApiErpClient client(String token, Duration timeout) {
        return ShopApiErpClient.builder().baseUrl(shop.baseUrl()).apiToken(token).timeout(timeout).build();
    }

    private static SenderIdentity verified(String address) {
        return new SenderIdentity(EmailAddress.of(address), true, "dkim=pass");
    }

    private static FakeShopApi start() {
        try {
            return new FakeShopApi();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
