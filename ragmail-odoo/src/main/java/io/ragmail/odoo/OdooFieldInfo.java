package io.ragmail.odoo;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@code fields_get} says about one field: its technical name, type ({@code char},
 * {@code many2one}, …), label and, for relational fields, the related model.
 *
 * <pre>{@code
 * Map<String, OdooFieldInfo> fields = client.fieldsGet("sale.order");
 * fields.get("partner_id").relation(); // Optional[res.partner]
 * }</pre>
 */
public record OdooFieldInfo(String name, String type, String label, Optional<String> relation) {
    public OdooFieldInfo {
        Objects.requireNonNull(name, "name");
        type = type == null ? "" : type;
        label = label == null ? "" : label;
        relation = relation == null ? Optional.empty() : relation;
    }
}
