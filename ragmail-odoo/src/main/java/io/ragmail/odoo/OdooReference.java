package io.ragmail.odoo;

import java.util.Objects;

/**
 * A set many2one value as Odoo sends it: {@code [id, "display name"]}.
 *
 * <pre>{@code
 * record.reference("commercial_partner_id").map(OdooReference::id); // Optional[14]
 * }</pre>
 */
public record OdooReference(int id, String displayName) {
    public OdooReference {
        if (id <= 0) {
            throw new IllegalArgumentException("id must be positive, was " + id);
        }
        displayName = displayName == null ? "" : displayName;
        Objects.requireNonNull(displayName);
    }
}
