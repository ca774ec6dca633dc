package io.ragmail.testkit.odoo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The definition of one model in {@link FakeOdooServer}: technical name, label, fields and default order.
 * {@code id}, {@code create_date}, {@code write_date} and {@code display_name} are always present.
 *
 * <pre>{@code
 * FakeOdooModel faq = FakeOdooModel.builder("knowledge.faq", "FAQ")
 *     .field("name", OdooFieldType.CHAR).field("answer", OdooFieldType.TEXT).field("active", OdooFieldType.BOOLEAN).build();
 * }</pre>
 */
public final class FakeOdooModel {

    /** One field: type, label, related model for relational fields. */
    public record Field(String name, OdooFieldType type, String label, String relation) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            label = label == null ? name : label;
            if (type.relational() && relation == null) {
                throw new IllegalArgumentException("relational field " + name + " needs a relation");
            }
        }
    }

    private final String name;
    private final String label;
    private final Map<String, Field> fields;
    private final String defaultOrder;

    private FakeOdooModel(Builder b) {
        this.name = b.name;
        this.label = b.label;
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(b.fields));
        this.defaultOrder = b.defaultOrder;
    }

    public static Builder builder(String name, String label) {
        return new Builder(name, label);
    }

    public String name() {
        return name;
    }

    public String label() {
        return label;
    }

    public Map<String, Field> fields() {
        return fields;
    }

    public String defaultOrder() {
        return defaultOrder;
    }

    public boolean hasActive() {
        return fields.containsKey("active");
    }

    /** This model without one field, as when the module that adds the field is not installed. */
    public FakeOdooModel without(String field) {
        Builder b = new Builder(name, label).defaultOrder(defaultOrder);
        fields.values().stream().filter(f -> !f.name().equals(field)).forEach(f -> b.field(f.name(), f.type(), f.label(), f.relation()));
        return b.build();
    }

    /** Builder for {@link FakeOdooModel}. */
    public static final class Builder {
        private final String name;
        private final String label;
        private final Map<String, Field> fields = new LinkedHashMap<>();
        private String defaultOrder = "id asc";

        private Builder(String name, String label) {
            this.name = Objects.requireNonNull(name, "name");
            this.label = label == null ? name : label;
            field("id", OdooFieldType.INTEGER, "ID", null);
            field("display_name", OdooFieldType.CHAR, "Display Name", null);
            field("create_date", OdooFieldType.DATETIME, "Created on", null);
            field("write_date", OdooFieldType.DATETIME, "Last Updated on", null);
        }

        public Builder field(String name, OdooFieldType type) {
            return field(name, type, null, null);
        }

        public Builder field(String name, OdooFieldType type, String label, String relation) {
            fields.put(name, new Field(name, type, label, relation));
            return this;
        }

        public Builder relation(String name, OdooFieldType type, String relation) {
            return field(name, type, null, relation);
        }

        public Builder defaultOrder(String order) {
            this.defaultOrder = order;
            return this;
        }

        public FakeOdooModel build() {
            return new FakeOdooModel(this);
        }
    }

    /** The models of a small Odoo 16 with contacts, sales, inventory and invoicing. */
    public static Map<String, FakeOdooModel> standardModels() {
        Map<String, FakeOdooModel> m = new LinkedHashMap<>();
        put(m, builder("res.partner", "Contact").field("name", OdooFieldType.CHAR).field("email", OdooFieldType.CHAR)
                .field("email_normalized", OdooFieldType.CHAR, "Normalized Email", null)
                .field("phone", OdooFieldType.CHAR).field("mobile", OdooFieldType.CHAR).field("website", OdooFieldType.CHAR)
                .field("ref", OdooFieldType.CHAR).field("comment", OdooFieldType.HTML).field("is_company", OdooFieldType.BOOLEAN)
                .field("active", OdooFieldType.BOOLEAN).relation("parent_id", OdooFieldType.MANY2ONE, "res.partner")
                .relation("commercial_partner_id", OdooFieldType.MANY2ONE, "res.partner")
                .relation("child_ids", OdooFieldType.ONE2MANY, "res.partner").relation("title", OdooFieldType.MANY2ONE, "res.partner.title")
                .relation("category_id", OdooFieldType.MANY2MANY, "res.partner.category")
                .relation("country_id", OdooFieldType.MANY2ONE, "res.country").field("credit_limit", OdooFieldType.FLOAT)
                .relation("user_id", OdooFieldType.MANY2ONE, "res.users").field("date", OdooFieldType.DATE));
        put(m, builder("product.category", "Product Category").field("name", OdooFieldType.CHAR)
                .relation("parent_id", OdooFieldType.MANY2ONE, "product.category").field("complete_name", OdooFieldType.CHAR));
        put(m, builder("res.currency", "Currency").field("name", OdooFieldType.CHAR));
        put(m, builder("product.template", "Product").field("name", OdooFieldType.CHAR).field("default_code", OdooFieldType.CHAR)
                .field("description", OdooFieldType.HTML).field("description_sale", OdooFieldType.TEXT)
                .field("list_price", OdooFieldType.FLOAT).relation("categ_id", OdooFieldType.MANY2ONE, "product.category")
                .field("sale_ok", OdooFieldType.BOOLEAN).field("active", OdooFieldType.BOOLEAN));
        put(m, builder("sale.order", "Sales Order").field("name", OdooFieldType.CHAR).field("state", OdooFieldType.SELECTION)
                .field("date_order", OdooFieldType.DATETIME).field("validity_date", OdooFieldType.DATE)
                .field("commitment_date", OdooFieldType.DATETIME).field("amount_total", OdooFieldType.MONETARY)
                .field("amount_untaxed", OdooFieldType.MONETARY)
                .relation("partner_id", OdooFieldType.MANY2ONE, "res.partner").relation("currency_id", OdooFieldType.MANY2ONE, "res.currency")
                .relation("order_line", OdooFieldType.ONE2MANY, "sale.order.line").field("note", OdooFieldType.HTML)
                .defaultOrder("date_order desc, id desc"));
        put(m, builder("stock.picking", "Transfer").field("name", OdooFieldType.CHAR).field("state", OdooFieldType.SELECTION)
                .field("scheduled_date", OdooFieldType.DATETIME).field("date_done", OdooFieldType.DATETIME)
                .field("origin", OdooFieldType.CHAR).field("picking_type_code", OdooFieldType.SELECTION)
                .relation("partner_id", OdooFieldType.MANY2ONE, "res.partner")
                .field("carrier_tracking_ref", OdooFieldType.CHAR).defaultOrder("id desc"));
        put(m, builder("account.move", "Journal Entry").field("name", OdooFieldType.CHAR).field("state", OdooFieldType.SELECTION)
                .field("move_type", OdooFieldType.SELECTION).field("payment_state", OdooFieldType.SELECTION)
                .field("invoice_date", OdooFieldType.DATE).field("invoice_date_due", OdooFieldType.DATE)
                .field("amount_total", OdooFieldType.MONETARY).field("amount_residual", OdooFieldType.MONETARY)
                .relation("partner_id", OdooFieldType.MANY2ONE, "res.partner").relation("currency_id", OdooFieldType.MANY2ONE, "res.currency")
                .defaultOrder("invoice_date desc, id desc"));
        return m;
    }

    private static void put(Map<String, FakeOdooModel> m, Builder b) {
        FakeOdooModel model = b.build();
        m.put(model.name(), model);
    }
}
