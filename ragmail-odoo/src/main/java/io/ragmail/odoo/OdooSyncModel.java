package io.ragmail.odoo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Odoo model {@link OdooKnowledgeSync} turns into knowledge documents, and how: the fields to
 * read, a domain that selects the records, the field used as title, and a text template with
 * {@code {field}} placeholders. A template line whose placeholders are all empty is left out;
 * many2one fields render as their display name, html fields as plain text.
 *
 * <pre>{@code
 * OdooSyncModel faq = OdooSyncModel.of("knowledge.faq", List.of("name", "answer"), "{name}\n{answer}")
 *     .withDomain(OdooDomain.where("website_published", "=", true));
 * }</pre>
 */
public record OdooSyncModel(String model, List<String> fields, OdooDomain domain, String titleField, String template) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_][a-z0-9_]*)}");

    /**
     * The default: product templates that can be sold ({@code sale_ok}), with what a customer may read:
     * name, reference, category, price and the sales description. Not {@code description}, which Odoo
     * labels "Internal Notes" ("only for internal purposes"); add it with your own model only if it is
     * written for customers.
     */
    public static final OdooSyncModel PRODUCT_TEMPLATE = new OdooSyncModel("product.template",
            List.of("name", "default_code", "description_sale", "list_price", "categ_id"),
            OdooDomain.where("sale_ok", "=", true), "name",
            "{name}\nInternal reference: {default_code}\nCategory: {categ_id}\nPrice: {list_price}\n{description_sale}");

    public OdooSyncModel {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("fields of " + model + " must not be empty");
        }
        domain = domain == null ? OdooDomain.all() : domain;
        Objects.requireNonNull(titleField, "titleField");
        Objects.requireNonNull(template, "template");
        if (!fields.contains(titleField)) {
            throw new IllegalArgumentException("titleField '" + titleField + "' of " + model + " must be one of the fields " + fields);
        }
        for (String name : placeholders(template)) {
            if (!fields.contains(name)) {
                throw new IllegalArgumentException("template of " + model + " uses {" + name + "}, which is not in fields " + fields);
            }
        }
    }

    /** A model with its fields and template; the title is the first field. */
    public static OdooSyncModel of(String model, List<String> fields, String template) {
        return new OdooSyncModel(model, fields, OdooDomain.all(), fields.isEmpty() ? "" : fields.get(0), template);
    }

    public OdooSyncModel withDomain(OdooDomain domain) {
        return new OdooSyncModel(model, fields, domain, titleField, template);
    }

    public OdooSyncModel withTitleField(String field) {
        return new OdooSyncModel(model, fields, domain, field, template);
    }

    /** The knowledge source id of one record, such as {@code "odoo:product.template:42"}. */
    public String sourceId(int id) {
        return "odoo:" + model + ":" + id;
    }

    private static List<String> placeholders(String template) {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static String render(String template, java.util.function.Function<String, String> values) {
        StringBuilder out = new StringBuilder();
        for (String line : template.split("\n", -1)) {
            Matcher m = PLACEHOLDER.matcher(line);
            StringBuilder sb = new StringBuilder();
            boolean any = false;
            boolean hadPlaceholder = false;
            while (m.find()) {
                hadPlaceholder = true;
                String v = values.apply(m.group(1));
                if (v != null && !v.isBlank()) {
                    any = true;
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : v));
            }
            m.appendTail(sb);
            if (hadPlaceholder && !any) {
                continue;
            }
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(sb.toString().strip());
        }
        return out.toString().strip();
    }
}
