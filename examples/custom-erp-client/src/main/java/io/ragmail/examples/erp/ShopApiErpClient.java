package io.ragmail.examples.erp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragmail.core.AuthenticationException;
import io.ragmail.core.CustomerFacts;
import io.ragmail.core.ErpClient;
import io.ragmail.core.ErpRecord;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.RetriableException;
import io.ragmail.core.SenderIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link ErpClient} for a shop system with a JSON REST API (not Odoo): customers are found by
 * e-mail address, and each customer's orders are read by customer id.
 *
 * <pre>
 * GET {baseUrl}/customers?email=ada%40customers.example   -> {"customers": [{"id": "C-1001", "name": "Ada Lovelace", "email": "ada@customers.example"}]}
 * GET {baseUrl}/customers/C-1001/orders                   -> {"orders": [{"number": "S00042", "status": "shipped", ...}]}
 * </pre>
 *
 * The scoping rule every {@code ErpClient} keeps, because a mail is untrusted input:
 * <ul>
 *   <li>every lookup starts from the sender's own address, never from anything the mail says (an
 *       order number in the text is not a key to anybody's data);</li>
 *   <li>a customer counts only when the API returned exactly the sender's address (search APIs
 *       often match prefixes or ignore dots);</li>
 *   <li>an address that belongs to two customers matches none: guessing would show one customer's
 *       orders to another;</li>
 *   <li>an unverified sender gets the customer's name only, and their orders are not even fetched.</li>
 * </ul>
 *
 * Failures are typed for the pipeline: timeouts, refused connections, 429 and 5xx are
 * {@link RetriableException} (the mail waits and is tried again, after {@code Retry-After} when the
 * API sent one); 401 and 403 are {@link AuthenticationException} (an operator must fix the token);
 * any other 4xx is a {@link NonRetriableException}.
 *
 * <pre>{@code
 * ErpClient erp = ShopApiErpClient.builder()
 *         .baseUrl("https://shop.example/api/v1")
 *         .apiToken(token)                 // sent as a bearer token, never logged
 *         .build();
 * }</pre>
 */
public final class ShopApiErpClient implements ErpClient {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ShopApiErpClient.class);
    private static final String COMPONENT = "shop-api";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String apiToken;
    private final Duration timeout;
    private final HttpClient http;

    private ShopApiErpClient(Builder b) {
        this.baseUrl = b.baseUrl.endsWith("/") ? b.baseUrl.substring(0, b.baseUrl.length() - 1) : b.baseUrl;
        this.apiToken = b.apiToken;
        this.timeout = b.timeout;
        this.http = HttpClient.newBuilder().connectTimeout(b.timeout).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<CustomerFacts> factsFor(SenderIdentity sender) {
        String address = sender.address().normalized();
        if (address.isEmpty()) {
            return Optional.empty();
        }
        // Scoped to the sender's own address; keep only exact matches of it.
        List<JsonNode> matches = new ArrayList<>();
        for (JsonNode customer : get("/customers?email=" + URLEncoder.encode(address, StandardCharsets.UTF_8))
                .path("customers")) {
            if (address.equals(customer.path("email").asText("").strip().toLowerCase(Locale.ROOT))) {
                matches.add(customer);
            }
        }
        if (matches.size() != 1) {
            if (matches.size() > 1) {
                LOG.warn("{} belongs to {} customers; no customer facts are used for it", address, matches.size());
            }
            return Optional.empty();
        }
        String id = matches.get(0).path("id").asText();
        String name = matches.get(0).path("name").asText("");
        if (!sender.verified()) {
            return Optional.of(new CustomerFacts(id, name, List.of())); // name only: no orders fetched
        }
        return Optional.of(new CustomerFacts(id, name, ordersOf(id)));
    }

    /** The orders of one customer, by the id the address lookup found (never by anything in the mail). */
    private List<ErpRecord> ordersOf(String customerId) {
        List<ErpRecord> orders = new ArrayList<>();
        for (JsonNode order : get("/customers/" + URLEncoder.encode(customerId, StandardCharsets.UTF_8) + "/orders")
                .path("orders")) {
            Map<String, String> fields = new LinkedHashMap<>();
            order.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("number") && f.getValue().isValueNode()) {
                    fields.put(f.getKey(), f.getValue().asText()); // status, dates, totals as display text
                }
            });
            orders.add(new ErpRecord("order", order.path("number").asText(), fields));
        }
        return orders;
    }

    private JsonNode get(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .header("Authorization", "Bearer " + apiToken)
                .header("Accept", "application/json")
                .timeout(timeout)
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) { // timeouts (HttpTimeoutException), refused and dropped connections
            throw new RetriableException(COMPONENT, "the shop API cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException(COMPONENT, "interrupted while calling the shop API", e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new AuthenticationException(COMPONENT, "the shop API rejected the API token (HTTP " + status + ")");
        }
        if (status == 429 || status >= 500) {
            Duration retryAfter = response.headers().firstValue("Retry-After")
                    .filter(v -> v.matches("\\d{1,6}")).map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(null);
            throw new RetriableException(COMPONENT, "the shop API answered HTTP " + status, null, retryAfter);
        }
        if (status != 200) {
            throw new NonRetriableException(COMPONENT, "the shop API refused " + request.uri().getPath() + " (HTTP " + status + ")");
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            // a 200 with something else than JSON is usually a proxy's error page: try again later
            throw new RetriableException(COMPONENT, "the shop API answered with something that is not JSON", e);
        }
    }

    /** Builds a {@link ShopApiErpClient}; {@code baseUrl} and {@code apiToken} are required. */
    public static final class Builder {
        private String baseUrl;
        private String apiToken;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder() {
        }

        /** The API root, such as {@code https://shop.example/api/v1}. */
        public Builder baseUrl(String baseUrl) { this.baseUrl = baseUrl; return this; }

        /** Sent as {@code Authorization: Bearer ...}; never logged or put in an exception. */
        public Builder apiToken(String apiToken) { this.apiToken = apiToken; return this; }

        /** How long one request may take; longer is a retriable failure. */
        public Builder timeout(Duration timeout) { this.timeout = timeout; return this; }

        public ShopApiErpClient build() {
            if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
                throw new IllegalArgumentException("baseUrl must be an http(s) URL, was " + baseUrl);
            }
            if (apiToken == null || apiToken.isBlank()) {
                throw new IllegalArgumentException("apiToken must be set");
            }
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            return new ShopApiErpClient(this);
        }
    }
}
