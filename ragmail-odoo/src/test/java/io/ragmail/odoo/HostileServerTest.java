package io.ragmail.odoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragmail.core.NonRetriableException;
import io.ragmail.testkit.odoo.FakeOdooServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile or compromised server: CVE-2019-17570 (Java objects in a fault's faultCause or an
 * ex:serializable value) and XXE. ragmail must deserialise nothing, resolve nothing, and fail clearly.
 */
class HostileServerTest {

    /** Creates the file named in it when deserialised: the side effect an exploit gadget would have. */
    static final class Tripwire implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String path;

        Tripwire(Path path) {
            this.path = path.toString();
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            Files.writeString(Path.of(path), "deserialised");
        }
    }

    @TempDir
    Path dir;
    FakeOdooServer odoo;
    OdooClient client;

    @BeforeEach
    void start() {
        odoo = FakeOdooServer.builder().build();
        client = OdooClient.builder().url(odoo.url()).database("ragmail").username("admin").password("admin")
                .sleeper(d -> { }).build();
    }

    @AfterEach
    void stop() {
        odoo.close();
    }

    static byte[] serializedBytes(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    static String serialized(Object o) throws IOException {
        return Base64.getEncoder().encodeToString(serializedBytes(o));
    }

    @Test
    void a_serialized_object_in_a_fault_is_never_deserialised() throws Exception {
        Path tripped = dir.resolve("tripped");
        odoo.enqueueFaultWithSerializedCause(serializedBytes(new Tripwire(tripped)), "boom");

        assertThatThrownBy(client::version).isInstanceOf(OdooServerException.class).hasMessageContaining("boom");
        assertThat(tripped).doesNotExist();
    }

    @Test
    void the_same_payload_does_trip_the_stock_apache_client_which_proves_the_test_can_fail() throws Exception {
        Path tripped = dir.resolve("tripped-stock");
        odoo.enqueueFaultWithSerializedCause(serializedBytes(new Tripwire(tripped)), "boom");
        XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
        config.setServerURL(new URL(odoo.url() + "/xmlrpc/2/common"));
        XmlRpcClient stock = new XmlRpcClient();

        assertThatThrownBy(() -> stock.execute(config, "version", new Object[0]));
        assertThat(tripped).exists();
    }

    @Test
    void an_ex_serializable_value_is_refused_with_a_clear_error() throws Exception {
        Path tripped = dir.resolve("tripped-ex");
        odoo.enqueueRawResponse("<?xml version=\"1.0\"?><methodResponse xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\">"
                + "<params><param><value><ex:serializable>" + serialized(new Tripwire(tripped))
                + "</ex:serializable></value></param></params></methodResponse>");

        assertThatThrownBy(client::version).isInstanceOf(NonRetriableException.class)
                .hasMessageContaining("refused").hasMessageContaining("serializable");
        assertThat(tripped).doesNotExist();
    }

    @Test
    void an_external_entity_is_not_resolved_and_the_file_does_not_leak() throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        odoo.enqueueRawResponse("<?xml version=\"1.0\"?>\n<!DOCTYPE methodResponse [<!ENTITY xxe SYSTEM \"" + secret.toUri()
                + "\">]>\n<methodResponse><params><param><value><struct><member><name>server_version</name>"
                + "<value><string>&xxe;</string></value></member></struct></value></param></params></methodResponse>");

        assertThatThrownBy(client::version).isInstanceOf(NonRetriableException.class)
                .hasMessageContaining("DOCTYPE")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("TOP-SECRET-CONTENT"));
    }

    @Test
    void an_entity_expansion_bomb_is_refused() {
        odoo.enqueueRawResponse("<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
                + "<methodResponse><params><param><value><string>&b;</string></value></param></params></methodResponse>");

        assertThatThrownBy(client::version).isInstanceOf(NonRetriableException.class);
    }

    @Test
    void a_nil_value_is_refused_since_odoo_never_sends_one() {
        odoo.enqueueRawResponse("<?xml version='1.0'?>\n<methodResponse><params><param><value><nil/></value></param></params></methodResponse>");

        assertThatThrownBy(client::version).isInstanceOf(OdooServerException.class).hasMessageContaining("nil");
    }
}
