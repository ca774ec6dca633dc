package io.ragmail.testkit.odoo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of the Odoo 16 demo database that the captured transcripts show
 * (shared/fixtures/odoo-xmlrpc, copied under {@code src/test/resources/odoo-xmlrpc}), so that replayed
 * requests get byte-identical answers.
 */
final class OdooDemoData {

    private OdooDemoData() {
    }

    static void seed(FakeOdooServer odoo) {
        odoo.create("res.currency", Map.of("id", 1, "name", "EUR"));
        odoo.create("res.partner", values("id", 10, "name", "Deco Addict", "is_company", true,
                "email", "deco.addict82@example.com", "write_date", "2026-11-28 23:39:13"));
        odoo.create("res.partner", values("id", 14, "name", "Azure Interior", "is_company", true,
                "email", "azure.Interior24@example.com", "phone", "(870)-931-0505", "write_date", "2026-11-28 23:39:13"));
        odoo.create("res.partner", values("id", 26, "name", "Brandon Freeman", "parent_id", 14,
                "email", "brandon.freeman55@example.com", "write_date", "2026-11-28 23:38:31"));
        odoo.create("sale.order", values("id", 1, "name", "S00001", "state", "draft", "date_order", "2026-10-28 23:39:00",
                "amount_total", 1740.0, "partner_id", 10, "currency_id", 1, "order_line", List.of(1, 2, 3)));
        odoo.create("sale.order", values("id", 5, "name", "S00005", "state", "draft", "date_order", "2026-10-28 23:39:00",
                "amount_total", 405.0, "partner_id", 10, "currency_id", 1, "order_line", List.of(12)));
    }

    private static Map<String, Object> values(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
