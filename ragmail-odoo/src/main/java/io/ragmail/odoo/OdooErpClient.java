package io.ragmail.odoo;

import io.ragmail.core.CustomerFacts;
import io.ragmail.core.ErpClient;
import io.ragmail.core.ErpRecord;
import io.ragmail.core.SenderIdentity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * orders and quotations, open invoices and outgoing deliveries, in words a customer understands.
 *
 * <p>Scoping rules (see docs/odoo.md):
 * <ul>
 *   <li>The sender is looked up by {@code res.partner.email_normalized} (Odoo's bare, lower-cased form
 *       of the address, so {@code "Name" <a@b>} and trailing spaces match), case-insensitively and
 *       exactly ({@code =ilike} with {@code %}, {@code _} and {@code \} escaped, and checked again in
 *       Java). An Odoo without that field is asked by {@code email} instead.</li>
 *   <li>Contacts resolve to their commercial partner (the company, or the person when they have none).
 *       Several contacts of one customer share an address: that customer, with a warning. The address
 *       belongs to several unrelated customers: no facts at all, {@link CustomerFacts#ambiguousSender()},
 *       so that a person reviews the reply.</li>
 *   <li>Every query for records is built here, in code, as {@code partner_id child_of <commercial
 *       partner id>}, with {@code active_test} off so that an archived contact's orders and deliveries
 *       still count; the only input is the {@link SenderIdentity}, so nothing a mail says (an order
 *       number, another address) can widen it.</li>
 *   <li>An unverified sender gets only the customer's name, never orders, invoices or deliveries.</li>
 *   <li>A model the installation lacks (its module is not installed) or the Odoo user may not read
 *       drops that kind of record; a field it lacks (such as {@code carrier_tracking_ref}, which only the
 *       {@code delivery} module adds) drops that one fact. Each is logged once and not asked again until
 *       ragmail restarts; the lookup itself never fails for it.</li>
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

    static final String PARTNER = "res.partner";
    static final String SALE_ORDER = "sale.order";
    static final String PICKING = "stock.picking";
    static final String INVOICE = "account.move";

    /**
     * The customer's own history includes records that name an archived contact: {@code child_of}
     * expands only active contacts unless this is off (pairs 123, 124). None of the three models has an
     * {@code active} field of its own, so nothing else changes.
     */
    private static final Map<String, Object> WHOLE_HISTORY = Map.of("active_test", false);

    /** sale.order.state, in the customer's words; draft and sent are quotations, not orders. */
    private static final Map<String, String> ORDER_STATUS = Map.of("draft", "quotation", "sent", "quotation sent",
            "sale", "confirmed order", "done", "confirmed order", "cancel", "cancelled");
    /** account.move.payment_state. */
    private static final Map<String, String> PAYMENT_STATUS = Map.of("not_paid", "not paid", "partial", "partly paid",
            "in_payment", "paid, payment being processed", "paid", "paid", "reversed", "reversed");
    /** stock.picking.state of an outgoing transfer; "done" is Odoo's word for shipped from the warehouse. */
    private static final Map<String, String> DELIVERY_STATUS = Map.of("draft", "being prepared", "waiting", "being prepared",
            "confirmed", "being prepared", "assigned", "ready to ship", "done", "delivered", "cancel", "cancelled");

    private static final Logger LOG = LoggerFactory.getLogger(OdooErpClient.class);

    private final OdooClient client;
    private final int maxRecords;
    /** Models dropped from the facts (not installed, or refused to our user), until restart. */
    private final Set<String> unavailable = ConcurrentHashMap.newKeySet();
    /** "model.field" the installation lacks, each dropped from its query and logged once. */
    private final Set<String> missingFields = ConcurrentHashMap.newKeySet();
    private volatile boolean byNormalizedEmail = true;

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
        // defence in depth: keep only exact (case-insensitive) matches, whatever the server's matching did
        TreeMap<Integer, OdooReference> commercial = new TreeMap<>();
        List<Integer> contactIds = new ArrayList<>();
        for (OdooRecord c : contacts(address)) {
            boolean same = c.text("email_normalized").map(e -> e.equalsIgnoreCase(address)).orElse(false)
                    || c.text("email").map(e -> bareAddress(e).equalsIgnoreCase(address)).orElse(false);
            if (same) {
                contactIds.add(c.id());
                OdooReference cp = c.reference("commercial_partner_id")
                        .orElse(new OdooReference(c.id(), c.text("name").orElse("")));
                commercial.putIfAbsent(cp.id(), cp);
            }
        }
        if (commercial.isEmpty()) {
            return Optional.empty();
        }
        if (commercial.size() > 1) {
            LOG.warn("the sender's address belongs to {} unrelated Odoo customers (commercial partners {}); "
                    + "no ERP facts are given and the reply should be reviewed", commercial.size(), commercial.keySet());
            return Optional.of(CustomerFacts.ambiguousSender());
        }
        if (contactIds.size() > 1) {
            LOG.warn("{} Odoo contacts of one customer share the sender's address (partners {}); the lowest id, {}, is taken",
                    contactIds.size(), contactIds, contactIds.get(0));
        }
        OdooReference customer = commercial.firstEntry().getValue();
        String customerId = "odoo:res.partner:" + customer.id();
        if (!sender.verified()) {
            return Optional.of(new CustomerFacts(customerId, customer.displayName(), List.of()));
        }
        List<ErpRecord> records = new ArrayList<>();
        OdooDomain mine = OdooDomain.where("partner_id", "child_of", customer.id());
        for (OdooRecord o : records(SALE_ORDER, mine,
                List.of("name", "state", "date_order", "amount_total", "currency_id", "commitment_date"),
                "date_order desc, id desc")) {
            Map<String, String> f = new LinkedHashMap<>();
            String state = o.text("state").orElse("");
            status(ORDER_STATUS, state).ifPresent(v -> f.put("status", v));
            o.text("date_order").ifPresent(v -> f.put("date_order", v + " UTC"));
            o.text("commitment_date").ifPresent(v -> f.put("commitment_date", v + " UTC"));
            amount(o, "amount_total").ifPresent(v -> f.put("amount_total", v));
            o.reference("currency_id").ifPresent(c -> f.put("currency", c.displayName()));
            String kind = state.equals("draft") || state.equals("sent") ? "quotation" : "order";
            records.add(new ErpRecord(kind, o.text("name").orElse("#" + o.id()), f));
        }
        OdooDomain open = mine.and("move_type", "=", "out_invoice").and("state", "=", "posted")
                .and("payment_state", "in", List.of("not_paid", "partial"));
        for (OdooRecord m : records(INVOICE, open,
                List.of("name", "invoice_date", "invoice_date_due", "amount_total", "amount_residual", "currency_id",
                        "payment_state"), "invoice_date desc, id desc")) {
            Map<String, String> f = new LinkedHashMap<>();
            status(PAYMENT_STATUS, m.text("payment_state").orElse("")).ifPresent(v -> f.put("status", v));
            m.date("invoice_date").ifPresent(v -> f.put("invoice_date", v.toString()));
            m.date("invoice_date_due").ifPresent(v -> f.put("due_date", v.toString()));
            amount(m, "amount_total").ifPresent(v -> f.put("amount_total", v));
            amount(m, "amount_residual").ifPresent(v -> f.put("amount_due", v));
            m.reference("currency_id").ifPresent(c -> f.put("currency", c.displayName()));
            records.add(new ErpRecord("invoice", m.text("name").orElse("#" + m.id()), f));
        }
        OdooDomain outgoing = mine.and("picking_type_code", "=", "outgoing");
        for (OdooRecord p : records(PICKING, outgoing,
                List.of("name", "state", "scheduled_date", "date_done", "origin", "carrier_tracking_ref"),
                "scheduled_date desc, id desc")) {
            Map<String, String> f = new LinkedHashMap<>();
            status(DELIVERY_STATUS, p.text("state").orElse("")).ifPresent(v -> f.put("status", v));
            p.text("scheduled_date").ifPresent(v -> f.put("scheduled_date", v + " UTC"));
            p.text("date_done").ifPresent(v -> f.put("date_done", v + " UTC"));
            p.text("origin").ifPresent(v -> f.put("order", v));
            p.text("carrier_tracking_ref").ifPresent(v -> f.put("tracking", v));
            records.add(new ErpRecord("delivery", p.text("name").orElse("#" + p.id()), f));
        }
        return Optional.of(new CustomerFacts(customerId, customer.displayName(), records));
    }

    /** The contacts whose address may be the sender's: by email_normalized where Odoo has it, else by email. */
    private List<OdooRecord> contacts(String address) {
        if (byNormalizedEmail) {
            try {
                return client.searchRead(PARTNER, OdooDomain.where("email_normalized", "=ilike", escapeLike(address)),
                        List.of("name", "email", "commercial_partner_id", "email_normalized"), "id asc", DEFAULT_MAX_PARTNER_MATCHES, 0);
            } catch (OdooConfigurationException e) {
                if (!e.field().filter("email_normalized"::equals).isPresent()) {
                    throw e;
                }
                byNormalizedEmail = false;
                LOG.warn("Odoo's res.partner has no email_normalized (older Odoo); senders are matched by email, which misses "
                        + "addresses stored with a display name or surrounding spaces");
            }
        }
        return client.searchRead(PARTNER, OdooDomain.where("email", "=ilike", escapeLike(address)),
                List.of("name", "email", "commercial_partner_id"), "id asc", DEFAULT_MAX_PARTNER_MATCHES, 0);
    }

    /**
     * The sender's records of an optional model, with the fields this installation has. A model that
     * is not installed or that the Odoo user may not read gives none; a field it lacks is left out. One
     * missing piece must not cost the customer the rest of their facts.
     */
    private List<OdooRecord> records(String model, OdooDomain domain, List<String> fields, String order) {
        if (unavailable.contains(model)) {
            return List.of();
        }
        List<String> wanted = new ArrayList<>(fields);
        wanted.removeIf(f -> missingFields.contains(model + "." + f));
        while (true) {
            try {
                return client.searchRead(model, domain, wanted, order, maxRecords, 0, WHOLE_HISTORY);
            } catch (OdooAccessException e) {
                drop(model, "the Odoo user may not read it (" + e.getMessage() + "); an administrator can grant read access");
                return List.of();
            } catch (OdooConfigurationException e) {
                String field = e.field().orElse("");
                if (e.model().filter(model::equals).isPresent() && wanted.remove(field)) {
                    if (missingFields.add(model + "." + field)) {
                        LOG.warn("Odoo's {} has no field {} (its module is not installed); customer facts leave that detail out",
                                model, field);
                    }
                    continue;
                }
                drop(model, "this Odoo lacks it or a field its query needs (" + e.getMessage() + ")");
                return List.of();
            }
        }
    }

    private void drop(String model, String why) {
        if (unavailable.add(model)) {
            LOG.warn("customer facts leave out {} until ragmail restarts: {}", model, why);
        }
    }

    private static Optional<String> status(Map<String, String> words, String state) {
        return state.isEmpty() ? Optional.empty() : Optional.of(words.getOrDefault(state, state));
    }

    private static Optional<String> amount(OdooRecord r, String field) {
        return r.decimal(field).map(d -> d.setScale(Math.max(2, d.scale()), java.math.RoundingMode.UNNECESSARY))
                .map(BigDecimal::toPlainString);
    }

    /** The address inside {@code "Name" <a@b>}, or the value trimmed: what Odoo's email_normalized holds, before lower-casing. */
    static String bareAddress(String email) {
        int open = email.lastIndexOf('<');
        int close = email.lastIndexOf('>');
        return (open >= 0 && close > open ? email.substring(open + 1, close) : email).trim();
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
