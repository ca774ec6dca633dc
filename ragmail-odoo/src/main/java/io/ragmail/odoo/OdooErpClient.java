package io.ragmail.odoo;

import io.ragmail.core.CustomerFacts;
import io.ragmail.core.ErpClient;
import io.ragmail.core.ErpRecord;
import io.ragmail.core.SenderIdentity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ErpClient} over Odoo: the customer behind a sender address and their own recent sale
 * orders, open invoices and outgoing deliveries.
 *
 * <p>Scoping rules (see docs/odoo.md):
 * <ul>
 *   <li>The sender is looked up by a case-insensitive exact match on {@code res.partner.email}
 *       ({@code =ilike} with {@code %}, {@code _} and {@code \} escaped, and checked again in Java),
 *       then resolved to its commercial partner (the company, or the person when they have none).</li>
 *   <li>Several matching contacts: if they share one commercial partner, that one; otherwise the
 *       lowest commercial partner id wins (deterministic) and a warning is logged.</li>
 *   <li>Every query for records is built here, in code, as {@code partner_id child_of <commercial
 *       partner id>}; the only input is the {@link SenderIdentity}, so nothing a mail says (an order
 *       number, another address) can widen it.</li>
 *   <li>An unverified sender gets only the customer's name, never orders, invoices or deliveries.</li>
 *   <li>Models whose module is not installed ({@code sale}, {@code stock}, {@code account}) are
 *       detected once through {@code ir.model} and simply left out; so are models the Odoo user may not
 *       read (fault 4), with one warning.</li>
 * </ul>
 *
 * <pre>{@code
 * ErpClient erp = OdooErpClient.builder(odooClient).maxRecordsPerKind(5).build();
 * Optional<CustomerFacts> facts = erp.factsFor(new SenderIdentity(EmailAddress.of("ada@example.com"), true));
 * }</pre>
 */
public final class OdooErpClient implements ErpClient {

    public static final int DEFAULT_MAX_RECORDS_PER_KIND = 10;
    /** At most this many contacts with the sender's address are considered. */
    public static final int DEFAULT_MAX_PARTNER_MATCHES = 20;

    static final String SALE_ORDER = "sale.order";
    static final String PICKING = "stock.picking";
    static final String INVOICE = "account.move";

    private static final Logger LOG = LoggerFactory.getLogger(OdooErpClient.class);

    private final OdooClient client;
    private final int maxRecords;
    private final Map<String, Boolean> readable = new ConcurrentHashMap<>();

    private OdooErpClient(Builder b) {
        this.client = b.client;
        this.maxRecords = b.maxRecordsPerKind;
    }

    public static Builder builder(OdooClient client) {
        return new Builder(client);
    }

    @Override
    public Optional<CustomerFacts> factsFor(SenderIdentity sender) {
        Objects.requireNonNull(sender, "sender");
        String address = sender.address().address().trim();
        if (address.isEmpty() || !address.contains("@")) {
            return Optional.empty();
        }
        List<OdooRecord> contacts = client.searchRead("res.partner",
                OdooDomain.where("email", "=ilike", escapeLike(address)),
                List.of("name", "email", "commercial_partner_id"), "id asc", DEFAULT_MAX_PARTNER_MATCHES, 0);
        // defence in depth: keep only exact (case-insensitive) matches, whatever the server's matching did
        String wanted = address.toLowerCase(Locale.ROOT);
        TreeMap<Integer, OdooReference> commercial = new TreeMap<>();
        for (OdooRecord c : contacts) {
            if (c.text("email").map(e -> e.trim().toLowerCase(Locale.ROOT).equals(wanted)).orElse(false)) {
                OdooReference cp = c.reference("commercial_partner_id")
                        .orElse(new OdooReference(c.id(), c.text("name").orElse("")));
                commercial.putIfAbsent(cp.id(), cp);
            }
        }
        if (commercial.isEmpty()) {
            return Optional.empty();
        }
        if (commercial.size() > 1) {
            LOG.warn("{} Odoo customers share the sender's address; using the lowest commercial partner id {}",
                    commercial.size(), commercial.firstKey());
        }
        OdooReference customer = commercial.firstEntry().getValue();
        String customerId = "odoo:res.partner:" + customer.id();
        if (!sender.verified()) {
            return Optional.of(new CustomerFacts(customerId, customer.displayName(), List.of()));
        }
        List<ErpRecord> records = new ArrayList<>();
        OdooDomain mine = OdooDomain.where("partner_id", "child_of", customer.id());
        for (OdooRecord o : readable(SALE_ORDER, mine,
                List.of("name", "state", "date_order", "amount_total", "currency_id", "commitment_date"),
                "date_order desc, id desc")) {
            Map<String, String> f = new LinkedHashMap<>();
            o.text("state").ifPresent(v -> f.put("state", v));
            o.text("date_order").ifPresent(v -> f.put("date_order", v + " UTC"));
            o.text("commitment_date").ifPresent(v -> f.put("commitment_date", v + " UTC"));
            amount(o, "amount_total").ifPresent(v -> f.put("amount_total", v));
            o.reference("currency_id").ifPresent(c -> f.put("currency", c.displayName()));
            records.add(new ErpRecord("order", o.text("name").orElse("#" + o.id()), f));
        }
        OdooDomain open = mine.and("move_type", "=", "out_invoice").and("state", "=", "posted")
                .and("payment_state", "in", List.of("not_paid", "partial"));
        for (OdooRecord m : readable(INVOICE, open,
                List.of("name", "invoice_date", "invoice_date_due", "amount_total", "amount_residual", "currency_id",
                        "payment_state"), "invoice_date desc, id desc")) {
            Map<String, String> f = new LinkedHashMap<>();
            m.text("payment_state").ifPresent(v -> f.put("payment_state", v));
            m.date("invoice_date").ifPresent(v -> f.put("invoice_date", v.toString()));
            m.date("invoice_date_due").ifPresent(v -> f.put("due_date", v.toString()));
            amount(m, "amount_total").ifPresent(v -> f.put("amount_total", v));
            amount(m, "amount_residual").ifPresent(v -> f.put("amount_due", v));
            m.reference("currency_id").ifPresent(c -> f.put("currency", c.displayName()));
            records.add(new ErpRecord("invoice", m.text("name").orElse("#" + m.id()), f));
        }
        OdooDomain outgoing = mine.and("picking_type_code", "=", "outgoing");
        for (OdooRecord p : readable(PICKING, outgoing,
                List.of("name", "state", "scheduled_date", "date_done", "origin", "carrier_tracking_ref"),
                "scheduled_date desc, id desc")) {
            Map<String, String> f = new LinkedHashMap<>();
            p.text("state").ifPresent(v -> f.put("state", v));
            p.text("scheduled_date").ifPresent(v -> f.put("scheduled_date", v + " UTC"));
            p.text("date_done").ifPresent(v -> f.put("date_done", v + " UTC"));
            p.text("origin").ifPresent(v -> f.put("order", v));
            p.text("carrier_tracking_ref").ifPresent(v -> f.put("tracking", v));
            records.add(new ErpRecord("delivery", p.text("name").orElse("#" + p.id()), f));
        }
        return Optional.of(new CustomerFacts(customerId, customer.displayName(), records));
    }

    /**
     * The sender's records of an optional model: none when its module is not installed, or when the
     * Odoo user ragmail logs in as may not read it. One model the user lacks a group for must not
     * cost the customer the facts of the others; it is asked no more until ragmail restarts.
     */
    private List<OdooRecord> readable(String model, OdooDomain domain, List<String> fields, String order) {
        if (!isReadable(model)) {
            return List.of();
        }
        try {
            return client.searchRead(model, domain, fields, order, maxRecords, 0);
        } catch (OdooAccessException e) {
            readable.put(model, false);
            LOG.warn("the Odoo user may not read {} ({}); customer facts leave it out until ragmail restarts "
                    + "after an administrator grants read access", model, e.getMessage());
            return List.of();
        }
    }

    private static Optional<String> amount(OdooRecord r, String field) {
        return r.decimal(field).map(d -> d.setScale(Math.max(2, d.scale()), java.math.RoundingMode.UNNECESSARY))
                .map(BigDecimal::toPlainString);
    }

    /**
     * Whether an optional model can be read: installed (asked once per client through ir.model) and not
     * refused to our Odoo user since.
     */
    private boolean isReadable(String model) {
        if (readable.isEmpty()) {
            Set<String> wanted = Set.of(SALE_ORDER, PICKING, INVOICE);
            try {
                List<OdooRecord> found = client.searchRead("ir.model", OdooDomain.where("model", "in", List.copyOf(wanted)),
                        List.of("model"), "id asc", 0, 0);
                Set<String> present = new java.util.HashSet<>();
                found.forEach(r -> r.text("model").ifPresent(present::add));
                wanted.forEach(m -> readable.put(m, present.contains(m)));
                LOG.info("Odoo models available for customer facts: {}", present.stream().sorted(Comparator.naturalOrder()).toList());
            } catch (OdooAccessException e) {
                LOG.warn("cannot read ir.model to detect installed Odoo modules ({}); assuming sale, stock and account", e.getMessage());
                wanted.forEach(m -> readable.put(m, true));
            }
        }
        return readable.getOrDefault(model, false);
    }

    /** Escapes SQL LIKE wildcards so that =ilike matches the address literally. */
    static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Builder of {@link OdooErpClient}. */
    public static final class Builder {
        private final OdooClient client;
        private int maxRecordsPerKind = DEFAULT_MAX_RECORDS_PER_KIND;

        private Builder(OdooClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Most recent orders, invoices and deliveries returned, each. */
        public Builder maxRecordsPerKind(int max) {
            this.maxRecordsPerKind = max;
            return this;
        }

        public OdooErpClient build() {
            if (maxRecordsPerKind < 1 || maxRecordsPerKind > 100) {
                throw new IllegalArgumentException("maxRecordsPerKind must be between 1 and 100, was " + maxRecordsPerKind);
            }
            return new OdooErpClient(this);
        }
    }
}
