package io.ragmail.testkit.odoo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of each captured Odoo 16 database that the transcripts show (shared/fixtures/odoo-xmlrpc,
 * packaged as {@link OdooFixtures}), so that replayed requests get byte-identical answers.
 */
final class OdooDemoData {

    private OdooDemoData() {
    }

    static void seed(FakeOdooServer odoo, FakeOdooServer.DemoDatabase capture) {
        if (capture == FakeOdooServer.DemoDatabase.CAPTURED_2026_11_28) {
            seedNovember28(odoo);
        } else {
            seedDecember04(odoo);
        }
    }

    private static void seedNovember28(FakeOdooServer odoo) {
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

    /**
     * The database of pairs 100-166 (re-created 2026-12-04): Deco Addict's confirmed S00001 with its delivery
     * and three open USD invoices; Gemini Furniture's deliveries that name its contact Oscar Morgan; Azure
     * Interior's test contacts 45-47 with formatted, spaced and archived addresses; category 7 "Software".
     */
    private static void seedDecember04(FakeOdooServer odoo) {
        odoo.create("res.currency", Map.of("id", 1, "name", "EUR"));
        odoo.create("res.currency", Map.of("id", 2, "name", "USD"));
        odoo.create("res.partner", values("id", 10, "name", "Deco Addict", "is_company", true, "email", "deco.addict82@example.com"));
        odoo.create("res.partner", values("id", 11, "name", "Gemini Furniture", "is_company", true, "email", "gemini.furniture39@example.com"));
        odoo.create("res.partner", values("id", 14, "name", "Azure Interior", "is_company", true, "email", "azure.Interior24@example.com"));
        odoo.create("res.partner", values("id", 31, "name", "Oscar Morgan", "parent_id", 11, "email", "oscar.morgan11@example.com"));
        odoo.create("res.partner", values("id", 43, "name", "Ragmail Internal", "email", "ragmail.internal@ragmail.test"));
        odoo.create("res.partner", values("id", 44, "name", "Ragmail Portal", "email", "ragmail.portal@ragmail.test"));
        odoo.create("res.partner", values("id", 45, "name", "Formatted Person", "parent_id", 14,
                "email", "\"Formatted Person\" <formatted.person@ragmail.test>"));
        odoo.create("res.partner", values("id", 46, "name", "Spaced Person", "parent_id", 14, "email", "spaced.person@ragmail.test "));
        int archived = odoo.create("res.partner", values("id", 47, "name", "Archived Person", "parent_id", 14,
                "email", "archived.person@ragmail.test"));
        odoo.archive("res.partner", archived);
        odoo.create("sale.order", values("id", 1, "name", "S00001", "state", "sale", "date_order", "2026-12-04 18:32:44",
                "amount_total", 1740.0, "partner_id", 10, "currency_id", 1));
        odoo.create("sale.order", values("id", 5, "name", "S00005", "state", "draft", "date_order", "2026-11-04 18:29:00",
                "amount_total", 405.0, "partner_id", 10, "currency_id", 1));
        for (int id = 22; id <= 24; id++) {
            odoo.create("sale.order", values("id", id, "name", "S000" + id, "state", "sale",
                    "date_order", "2026-11-" + (id - 2) + " 18:29:10", "amount_total", 100.0, "partner_id", 11, "currency_id", 1));
        }
        invoice(odoo, 2, "INV/2026/00003", "2026-12-08", "2027-01-07", 48012.5, 47012.5, "partial");
        invoice(odoo, 3, "INV/2026/00004", "2026-12-08", "2027-01-07", 22137.5, 22137.5, "not_paid");
        invoice(odoo, 4, "INV/2026/00001", "2026-11-19", "2026-11-19", 36512.5, 36512.5, "not_paid");
        if (odoo.hasModel("stock.picking")) {
            delivery(odoo, 29, "WH/OUT/00014", "confirmed", "2026-12-04 18:32:44", "S00001", 10);
            for (int id = 25; id <= 28; id++) {
                String state = id == 28 ? "confirmed" : "assigned";
                String day = id == 28 ? "04" : "0" + (id - 20);
                delivery(odoo, id, "WH/OUT/000" + (id - 15), state, "2026-12-" + day + " 18:29:10", "S000" + (id - 4), 31);
            }
        }
        odoo.create("product.category", values("id", 1, "name", "All", "write_date", "2026-12-04 18:28:42"));
        odoo.create("product.category", values("id", 2, "name", "Saleable", "parent_id", 1, "write_date", "2026-12-04 18:28:42"));
        odoo.create("product.category", values("id", 7, "name", "Software", "parent_id", 2, "write_date", "2026-12-04 18:28:42"));
        odoo.create("product.template", values("id", 7, "name", "Office Design Software", "categ_id", 7, "sale_ok", true,
                "list_price", 280.0, "write_date", "2026-12-04 18:29:05"));
    }

    private static void invoice(FakeOdooServer odoo, int id, String name, String date, String due, double total, double residual,
            String paymentState) {
        odoo.create("account.move", values("id", id, "name", name, "state", "posted", "move_type", "out_invoice",
                "payment_state", paymentState, "invoice_date", date, "invoice_date_due", due, "amount_total", total,
                "amount_residual", residual, "partner_id", 10, "currency_id", 2));
    }

    private static void delivery(FakeOdooServer odoo, int id, String name, String state, String scheduled, String origin, int partner) {
        odoo.create("stock.picking", values("id", id, "name", name, "state", state, "picking_type_code", "outgoing",
                "scheduled_date", scheduled, "origin", origin, "partner_id", partner));
    }

    private static Map<String, Object> values(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
