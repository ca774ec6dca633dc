// Measures the packaged daemon as an operator runs it: a separate `java -jar ragmail.jar run` process
// against GreenMail (IDLE) and FakeMistralServer, both from the jar. Prints the time from a mail's
// arrival to its reply (p50/p95), and the daemon's RSS idle with the embedding model loaded, after the
// latency run, and its peak (VmHWM) after a 20 MB mail and a zip bomb. Run from the repository root:
//   java -cp ragmail-daemon/target/ragmail.jar ragmail-daemon/bench/DaemonBench.java [N] [JVM options for the daemon…]
// Results and the machine go into docs/benchmarks.md. Not a test: figures are written down, never asserted.
import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.mail.HostileMails;
import io.ragmail.testkit.mistral.FakeMistralServer;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

public class DaemonBench {
    static final String SUPPORT = "support@shop.example";
    static final String DRAFT = "{\"reply\":\"Hello, thank you for your question: acetone is in stock.\",\"language\":\"en\","
            + "\"confidence\":0.9,\"used_sources\":[],\"needs_human\":false,\"reason\":\"\"}";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        List<String> jvm = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            jvm.add(args[i]);
        }
        String jar = Path.of(DaemonBench.class.getProtectionDomain().getCodeSource() == null ? "ragmail-daemon/target/ragmail.jar"
                : "ragmail-daemon/target/ragmail.jar").toAbsolutePath().toString();
        Path data = Files.createTempDirectory("ragmail-bench");
        try (TestMailServer mail = new TestMailServer().start();
             FakeMistralServer mistral = FakeMistralServer.builder().apiKey("bench-key").replyWith(DRAFT).threads(8).build()) {
            mail.createUser(SUPPORT, "bench-Pa55");
            mail.createUser("ops@shop.example", "ops");
            int health;
            try (ServerSocket s = new ServerSocket(0)) {
                health = s.getLocalPort();
            }
            List<String> cmd = new ArrayList<>(List.of("java"));
            cmd.addAll(jvm);
            cmd.addAll(List.of("-jar", jar, "run", "--no-console-log", "--env-file", data.resolve("none.env").toString(),
                    "--config", data.resolve("none.properties").toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(data.resolve("console.txt").toFile());
            Map<String, String> env = pb.environment();
            env.put("RAGMAIL_IMAP_HOST", "127.0.0.1");
            env.put("RAGMAIL_IMAP_PORT", Integer.toString(mail.imapPort()));
            env.put("RAGMAIL_IMAP_SECURITY", "none");
            env.put("RAGMAIL_IMAP_USER", SUPPORT);
            env.put("RAGMAIL_IMAP_PASSWORD", "bench-Pa55");
            env.put("RAGMAIL_SMTP_HOST", "127.0.0.1");
            env.put("RAGMAIL_SMTP_PORT", Integer.toString(mail.smtpPort()));
            env.put("RAGMAIL_SMTP_SECURITY", "none");
            env.put("RAGMAIL_SMTP_USER", "none");
            env.put("RAGMAIL_FROM", SUPPORT);
            env.put("RAGMAIL_MODE", "send");
            env.put("RAGMAIL_MISTRAL_API_KEY", "bench-key");
            env.put("RAGMAIL_MISTRAL_BASE_URL", mistral.baseUrl());
            env.put("RAGMAIL_MISTRAL_REQUESTS_PER_SECOND", "50");
            env.put("RAGMAIL_DATA_DIR", data.toString());
            env.put("RAGMAIL_HEALTH_PORT", Integer.toString(health));
            long t0 = System.nanoTime();
            Process daemon = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(daemon::destroyForcibly));
            HttpClient http = HttpClient.newHttpClient();
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException e) {
                    // not up yet
                }
                if (!daemon.isAlive()) {
                    throw new IllegalStateException("daemon exited " + daemon.exitValue() + "; see " + data.resolve("console.txt"));
                }
                Thread.sleep(100);
            }
            System.out.printf("JVM options: %s%n", jvm.isEmpty() ? "(none: JVM defaults)" : String.join(" ", jvm));
            System.out.printf("start to healthy: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            Thread.sleep(15_000);
            System.out.printf("RSS idle (model loaded, 15 s after start): %d MB%n", rss(daemon.pid(), "VmRSS"));

            // warm-up: the first mails load the JIT, the embedding model's first inference
            for (int i = 0; i < 5; i++) {
                answer(mail, "warm-up " + i);
            }
            List<Long> ms = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ms.add(answer(mail, "question " + i));
            }
            Collections.sort(ms);
            System.out.printf("arrival to reply over IDLE, %d mails one at a time: p50 %d ms, p95 %d ms, max %d ms%n", n,
                    ms.get((int) Math.ceil(0.5 * n) - 1), ms.get((int) Math.ceil(0.95 * n) - 1), ms.get(n - 1));
            System.out.printf("RSS after the latency run: %d MB (peak so far %d MB)%n", rss(daemon.pid(), "VmRSS"), rss(daemon.pid(), "VmHWM"));

            long before = finished(data);
            mail.deliver(SUPPORT, HostileMails.huge(20));
            waitFor(() -> finished(data) > before, 180_000);
            System.out.printf("after a 20 MB mail: RSS %d MB, peak %d MB%n", rss(daemon.pid(), "VmRSS"), rss(daemon.pid(), "VmHWM"));

            long before2 = finished(data);
            mail.deliver(SUPPORT, zipBomb());
            waitFor(() -> finished(data) > before2, 180_000);
            System.out.printf("after a zip bomb (1 GB of zeros zipped into an attachment): RSS %d MB, peak %d MB%n",
                    rss(daemon.pid(), "VmRSS"), rss(daemon.pid(), "VmHWM"));

            long s0 = System.nanoTime();
            daemon.destroy(); // SIGTERM
            int exit = daemon.waitFor();
            System.out.printf("SIGTERM to exit: %d ms, exit code %d%n", (System.nanoTime() - s0) / 1_000_000, exit);
        }
    }

    /** Mails the daemon finished (sent, review, skipped or failed), read from its ledger (WAL: safe while it runs). */
    static long finished(Path data) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("ledger.db"));
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM mails WHERE state IN ('SENT','REVIEW','SKIPPED','DEAD')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static int sender;

    /** Each mail from its own sender: triage answers one sender at most 3 times a day. */
    static long answer(TestMailServer mail, String subject) throws Exception {
        String from = "customer" + (++sender) + "@customers.example";
        int drafts = mail.messages(SUPPORT, "Drafts").size();
        long t0 = System.nanoTime();
        mail.deliver(from, SUPPORT, subject, "Do you have acetone (ACE-500) in stock?", Map.of());
        waitFor(() -> !mail.received(from).isEmpty() || mail.messages(SUPPORT, "Drafts").size() > drafts, 60_000);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    interface Cond {
        boolean ok() throws Exception;
    }

    static void waitFor(Cond c, long timeoutMs) throws Exception {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!c.ok()) {
            if (System.currentTimeMillis() > end) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(5);
        }
    }

    static long rss(long pid, String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
            }
        }
        return -1;
    }

    static byte[] zipBomb() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("invoice.txt"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 1024; i++) {
                z.write(zeros);
            }
            z.closeEntry();
        }
        String b64 = Base64.getMimeEncoder().encodeToString(zip.toByteArray());
        String raw = "From: Ada <ada@customers.example>\r\nTo: " + SUPPORT + "\r\nSubject: Invoice attached\r\n"
                + "Message-ID: <zipbomb@customers.example>\r\nDate: Fri, 04 Dec 2026 20:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee the attached invoice.\r\n"
                + "--b\r\nContent-Type: application/zip; name=\"invoice.zip\"\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"invoice.zip\"\r\n\r\n" + b64 + "\r\n--b--\r\n";
        return raw.getBytes(StandardCharsets.US_ASCII);
    }
}
