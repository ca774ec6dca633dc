package io.ragmail.testkit.odoo;

import static io.ragmail.testkit.odoo.FakeOdooServerContractTest.faultCode;
import static io.ragmail.testkit.odoo.FakeOdooServerContractTest.lastTracebackLine;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays the pairs captured on 2026-12-04 (100-166) against FakeOdooServer seeded with that database,
 * byte for byte: access rights on ir.model, missing models and fields, child_of over an archived
 * contact, email_normalized, the portal user's view, MissingError, and a renamed category.
 */
class FakeOdooServerDecember04ContractTest {

    static String replay(FakeOdooServer odoo, String fixture) {
        String path = OdooFixtures.request(fixture).contains("<methodName>execute_kw</methodName>") ? "/xmlrpc/2/object" : "/xmlrpc/2/common";
        return odoo.answer(path, OdooFixtures.requestBytes(fixture));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"100-internal-ir-model-search-read-access-fault", "101-admin-ir-model-search-read",
            "106-stock-picking-unknown-field-in-fields-no-match", "110-erp-sale-order-search-read-deco-addict",
            "111-erp-account-move-open-invoices-deco-addict", "112-erp-stock-picking-outgoing-deco-addict",
            "120-admin-read-oscar-morgan-state", "121-erp-stock-picking-gemini-contact-active",
            "124-erp-stock-picking-gemini-contact-archived-active-test-false", "125-erp-sale-order-gemini-contact-archived",
            "130-admin-find-test-contacts", "131-sender-formatted-email-ilike", "132-sender-formatted-email-normalized-eq",
            "133-sender-spaced-email-ilike", "134-sender-spaced-email-normalized-eq", "135-sender-email-normalized-eq-mixed-case",
            "136-sender-email-normalized-ilike-mixed-case", "137-sender-archived-email-normalized-eq",
            "140-portal-sale-order-search-read", "141-portal-res-partner-search-read",
            "142-portal-product-template-search-read-access-fault", "150-read-missing-partner", "151-name-get-missing-partner",
            "160-template-of-category-software-before-rename"})
    void answers_byte_for_byte_like_the_real_odoo_of_2026_12_04(String fixture) {
        try (FakeOdooServer odoo = FakeOdooServer.builder().demoData(FakeOdooServer.DemoDatabase.CAPTURED_2026_12_04).build()) {
            assertThat(replay(odoo, fixture)).isEqualTo(OdooFixtures.response(fixture));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"103-nostock-admin-ir-model-search-read", "104-nostock-internal-stock-picking-unknown-model"})
    void a_database_without_stock_answers_like_the_real_one(String fixture) {
        try (FakeOdooServer odoo = FakeOdooServer.builder().demoData(FakeOdooServer.DemoDatabase.CAPTURED_2026_12_04_NOSTOCK).build()) {
            assertThat(replay(odoo, fixture)).isEqualTo(OdooFixtures.response(fixture));
        }
    }

    @Test
    void an_unknown_name_in_fields_is_fault_1_when_a_record_matched() {
        try (FakeOdooServer odoo = FakeOdooServer.builder().demoData(FakeOdooServer.DemoDatabase.CAPTURED_2026_12_04).build()) {
            String fixture = "105-stock-picking-unknown-field-in-fields";
            String actual = replay(odoo, fixture);

            assertThat(faultCode(actual)).isEqualTo("1");
            assertThat(lastTracebackLine(actual)).isEqualTo(lastTracebackLine(OdooFixtures.response(fixture)));
        }
    }

    @Test
    void without_the_delivery_module_the_adapters_picking_query_is_the_invalid_field_fault() {
        try (FakeOdooServer odoo = FakeOdooServer.builder().demoData(FakeOdooServer.DemoDatabase.CAPTURED_2026_12_04)
                .withoutModule("delivery").build()) {
            String actual = replay(odoo, "112-erp-stock-picking-outgoing-deco-addict");

            // the harness log erp-phase1-no-delivery.log: the shape of pair 105 with the real field name
            assertThat(faultCode(actual)).isEqualTo("1");
            assertThat(lastTracebackLine(actual)).isEqualTo("ValueError: Invalid field 'carrier_tracking_ref' on model 'stock.picking'");
        }
    }

    @Test
    void archiving_a_contact_hides_the_deliveries_that_name_it_unless_active_test_is_off() {
        try (FakeOdooServer odoo = FakeOdooServer.builder().demoData(FakeOdooServer.DemoDatabase.CAPTURED_2026_12_04).build()) {
            for (String fixture : List.of("120-admin-read-oscar-morgan-state", "121-erp-stock-picking-gemini-contact-active",
                    "122-setup-archive-oscar-morgan", "123-erp-stock-picking-gemini-contact-archived",
                    "124-erp-stock-picking-gemini-contact-archived-active-test-false", "125-erp-sale-order-gemini-contact-archived",
                    "126-cleanup-unarchive-oscar-morgan", "127-cleanup-read-oscar-morgan-state")) {
                assertThat(replay(odoo, fixture)).as(fixture).isEqualTo(OdooFixtures.response(fixture));
            }
        }
    }

    @Test
    void renaming_a_category_moves_its_write_date_and_the_display_name_but_not_the_templates_write_date() {
        SettableClock clock = new SettableClock(Instant.parse("2026-12-04T19:11:15.200Z"));
        try (FakeOdooServer odoo = FakeOdooServer.builder().clock(clock).demoData(FakeOdooServer.DemoDatabase.CAPTURED_2026_12_04)
                .build()) {
            assertThat(replay(odoo, "160-template-of-category-software-before-rename"))
                    .isEqualTo(OdooFixtures.response("160-template-of-category-software-before-rename"));
            clock.set(Instant.parse("2026-12-04T19:11:18.410Z"));
            for (String fixture : List.of("161-setup-rename-category-software", "162-category-write-date-gt-before-rename",
                    "163-template-write-date-gt-before-rename", "164-template-of-category-software-after-rename",
                    "165-cleanup-rename-category-back", "166-cleanup-read-category-software")) {
                assertThat(replay(odoo, fixture)).as(fixture).isEqualTo(OdooFixtures.response(fixture));
            }
        }
    }

    @Test
    void only_an_administrator_may_read_ir_model_and_check_access_rights_says_so() {
        try (FakeOdooServer odoo = FakeOdooServer.builder().demoData(FakeOdooServer.DemoDatabase.CAPTURED_2026_12_04).build()) {
            String check = "<?xml version='1.0'?><methodCall><methodName>execute_kw</methodName><params>"
                    + "<param><value><string>ragmail</string></value></param><param><value><int>%d</int></value></param>"
                    + "<param><value><string>%s</string></value></param><param><value><string>ir.model</string></value></param>"
                    + "<param><value><string>check_access_rights</string></value></param>"
                    + "<param><value><array><data><value><string>read</string></value></data></array></value></param>"
                    + "<param><value><struct><member><name>raise_exception</name><value><boolean>0</boolean></value></member>"
                    + "</struct></value></param></params></methodCall>";

            // the ACLs of pair 102: Administration / Access Rights reads ir.model, Internal User does not
            assertThat(odoo.answer("/xmlrpc/2/object", String.format(check, 2, "admin").getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .contains("<boolean>1</boolean>");
            assertThat(odoo.answer("/xmlrpc/2/object", String.format(check, 8, "internal-pw").getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .contains("<boolean>0</boolean>");
        }
    }
}
