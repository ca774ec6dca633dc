package io.ragmail.odoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragmail.core.AuthenticationException;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.RetriableException;
import io.ragmail.testkit.odoo.FakeOdooServer;
import io.ragmail.testkit.odoo.OdooFixtures;
import java.time.Duration;
import java.util.List;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import java.net.URL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every fault the real Odoo 16 server produced (fixtures), replayed through the real client: each becomes a typed exception. */
class OdooFaultsTest {

    FakeOdooServer odoo;
    OdooClient client;

    @BeforeEach
    void start() {
        odoo = FakeOdooServer.builder().demoData().build();
        client = OdooClient.builder().url(odoo.url()).database("ragmail").username("admin").password("admin")
                .sleeper(d -> { }).build();
        client.authenticate();
    }

    @AfterEach
    void stop() {
        odoo.close();
    }

    Throwable replay(String fixture) {
        odoo.enqueueRawResponse(OdooFixtures.response(fixture));
        try {
            client.searchRead("res.partner", OdooDomain.all(), List.of("name"), null, 1, 0);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    void fault_12_unknown_model_is_a_configuration_error_naming_the_model() {
        assertThat(replay("12-fault-unknown-model")).isInstanceOf(OdooConfigurationException.class)
                .hasMessageContaining("no.such.model")
                .satisfies(e -> assertThat(((OdooConfigurationException) e).model()).contains("no.such.model"));
    }

    @Test
    void fault_13_unknown_field_is_a_configuration_error_naming_model_and_field() {
        Throwable e = replay("13-fault-unknown-field-in-domain");
        assertThat(e).isInstanceOf(OdooConfigurationException.class).hasMessageContaining("no_such_field");
        assertThat(((OdooConfigurationException) e).model()).contains("res.partner");
        assertThat(((OdooConfigurationException) e).field()).contains("no_such_field");
    }

    @Test
    void fault_14_access_denied_twice_is_an_authentication_failure() {
        odoo.enqueueRawResponse(OdooFixtures.response("14-fault-wrong-password-execute-kw"));
        odoo.enqueueRawResponse(OdooFixtures.response("02-authenticate-ok"));
        assertThat(replay("14-fault-wrong-password-execute-kw")).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void fault_03_authenticate_false_is_an_authentication_failure() {
        odoo.enqueueRawResponse(OdooFixtures.response("03-authenticate-wrong-password"));
        assertThatThrownBy(client::authenticate).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void fault_15_access_error_is_an_access_exception_with_odoos_first_line() {
        assertThat(replay("15-fault-access-error-sale-order")).isInstanceOf(OdooAccessException.class)
                .hasMessageContaining("You are not allowed to access 'Sales Order' (sale.order) records.")
                .satisfies(e -> assertThat(((OdooAccessException) e).faultCode()).isEqualTo(4));
    }

    @Test
    void fault_151_record_does_not_exist_is_a_missing_record_as_the_docs_promise() {
        Throwable e = replay("151-name-get-missing-partner");

        assertThat(e).isInstanceOf(OdooMissingRecordException.class).hasMessageContaining("res.partner(999999,)");
        assertThat(((OdooMissingRecordException) e).faultCode()).isEqualTo(2);
        assertThat(((OdooMissingRecordException) e).odooExceptionClass()).isEqualTo("odoo.exceptions.MissingError");
    }

    @Test
    void pair_16_portal_record_rules_are_an_empty_result_not_an_error() {
        assertThat(replay("16-portal-user-sale-order-search-read")).isNull();
    }

    @Test
    void pair_22_reading_a_deleted_record_is_an_empty_result() {
        odoo.enqueueRawResponse(OdooFixtures.response("22-read-deleted-record"));
        assertThat(client.read("res.partner", List.of(47), List.of("name"))).isEmpty();
    }

    @Test
    void fault_23_cannot_marshal_none_is_a_server_error_naming_the_type_error() {
        assertThat(replay("23-method-returning-none")).isInstanceOf(OdooServerException.class)
                .hasMessageContaining("cannot marshal None")
                .satisfies(e -> assertThat(((OdooServerException) e).odooExceptionClass()).isEqualTo("TypeError"));
    }

    @Test
    void fault_24_unknown_method_and_25_private_method() {
        assertThat(replay("24-fault-unknown-method")).isInstanceOf(OdooConfigurationException.class).hasMessageContaining("no_such_method");
        assertThat(replay("25-fault-private-method")).isInstanceOf(OdooAccessException.class).hasMessageContaining("Private methods");
    }

    @Test
    void fault_26_unknown_database_is_a_non_retriable_server_error() {
        assertThat(replay("26-fault-authenticate-unknown-db")).isInstanceOf(NonRetriableException.class)
                .hasMessageContaining("no_such_db");
    }

    @Test
    void faults_32_and_33_database_down_are_retriable() {
        assertThat(replay("32-fault-database-down-execute-kw")).isInstanceOf(RetriableException.class)
                .hasMessageContaining("Connection refused");
        assertThat(replay("33-fault-database-down-authenticate")).isInstanceOf(RetriableException.class);
    }

    @Test
    void old_odoo_string_fault_codes_keep_the_servers_message() {
        odoo.enqueueStringCodeFault("warning -- Warning\n\nThe product is archived", "Traceback ...");
        assertThatThrownBy(() -> client.searchCount("res.partner", OdooDomain.all()))
                .isInstanceOf(OdooUserErrorException.class).hasMessageContaining("warning -- Warning");

        odoo.enqueueStringCodeFault("AccessDenied", "Access denied");
        odoo.enqueueStringCodeFault("AccessDenied", "Access denied");
        assertThatThrownBy(() -> client.searchCount("res.partner", OdooDomain.all())).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void the_stock_apache_parser_hides_a_string_fault_code_behind_a_class_cast() throws Exception {
        odoo.enqueueStringCodeFault("warning -- Warning\n\nThe product is archived", "Traceback ...");
        XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
        config.setServerURL(new URL(odoo.url() + "/xmlrpc/2/common"));
        XmlRpcClient stock = new XmlRpcClient();

        assertThatThrownBy(() -> stock.execute(config, "version", new Object[0])).isInstanceOf(ClassCastException.class);
    }
}
