package io.ragmail.benchmarks.odoo;

import io.ragmail.benchmarks.knowledge.Measurements;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.SenderIdentity;
import io.ragmail.odoo.OdooClient;
import io.ragmail.odoo.OdooErpClient;
import io.ragmail.testkit.odoo.FakeOdooServer;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures {@link OdooErpClient#factsFor} against {@link FakeOdooServer} seeded with the database
 * captured on 2026-12-04, read by the recommended Sales / User: All Documents user: latency per lookup
 * (p50, p95) and XML-RPC calls per lookup, over a mix of senders (a customer with orders, invoices and a
 * delivery; a company whose deliveries name an archived contact; a contact stored with a display name;
 * an unknown address). With {@code odoo16} the fake adds the answer times measured on a real Odoo 16
 * ({@link FakeOdooServer.Latency#ODOO_16_MEASURED}), so the figures say what a user will see.
 *
 * <pre>{@code
 * java -cp ... io.ragmail.benchmarks.odoo.OdooFactsBenchmark 200 odoo16
 * }</pre>
 */
public final class OdooFactsBenchmark {

    static final List<String> SENDERS = List.of("deco.addict82@example.com", "gemini.furniture39@example.com",
            "formatted.person@ragmail.test", "stranger@example.org");

    private OdooFactsBenchmark() {
    }

    public static void main(String[] args) {
        int lookups = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        boolean odoo16 = args.length > 1 && args[1].equals("odoo16");
        run(lookups, odoo16 ? FakeOdooServer.Latency.ODOO_16_MEASURED : FakeOdooServer.Latency.NONE, System.out);
    }

    public static Map<String, Object> run(int lookups, FakeOdooServer.Latency latency, PrintStream out) {
        Map<String, Object> results = new LinkedHashMap<>();
        try (FakeOdooServer odoo = FakeOdooServer.builder().demoData(FakeOdooServer.DemoDatabase.CAPTURED_2026_12_04)
                .latency(latency).build()) {
            odoo.archive("res.partner", 31);
            OdooClient client = OdooClient.builder().url(odoo.url()).database(odoo.database()).username("ragmail.internal")
                    .password("internal-pw").build();
            OdooErpClient erp = OdooErpClient.builder(client).build();
            long t = System.nanoTime();
            client.authenticate();
            double authMillis = (System.nanoTime() - t) / 1e6;
            for (int i = 0; i < 20; i++) { // warm-up, and the one-off discovery of what this Odoo lacks
                erp.factsFor(sender(i));
            }
            long[] nanos = new long[lookups];
            long callsBefore = client.callsMade();
            for (int i = 0; i < lookups; i++) {
                long start = System.nanoTime();
                erp.factsFor(sender(i));
                nanos[i] = System.nanoTime() - start;
            }
            double calls = (client.callsMade() - callsBefore) / (double) lookups;
            results.put("authenticate_ms", authMillis);
            results.put("lookup_p50_ms", Measurements.percentileMillis(nanos, 50));
            results.put("lookup_p95_ms", Measurements.percentileMillis(nanos, 95));
            results.put("calls_per_lookup", calls);
            out.printf("RESULT lookups=%d latency=%s authenticate %.0f ms; customer-facts lookup p50 %.1f ms, p95 %.1f ms, %.2f calls "
                    + "per lookup (senders: %s)%n", lookups, latency == FakeOdooServer.Latency.NONE ? "none" : "odoo16", authMillis,
                    results.get("lookup_p50_ms"), results.get("lookup_p95_ms"), calls, SENDERS);
        }
        return results;
    }

    private static SenderIdentity sender(int i) {
        return new SenderIdentity(EmailAddress.of(SENDERS.get(i % SENDERS.size())), true);
    }
}
