package io.ragmail.config;

import io.ragmail.core.ledger.SqliteLedger;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Run by {@link OptionalDependenciesTest} on a class path without ragmail-core's optional jars: loads
 * and validates a configuration, then asks for the parts that need a missing jar and prints what each
 * says. Output to standard out is the test's protocol; this is a test program, not library code.
 */
public final class WithoutOptionalDependenciesMain {

    private WithoutOptionalDependenciesMain() {
    }

    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        Map<String, String> keys = new HashMap<>();
        keys.put("ragmail.imap.host", "127.0.0.1");
        keys.put("ragmail.imap.user", "support@shop.example");
        keys.put("ragmail.imap.password", "imap-password");
        keys.put("ragmail.smtp.host", "127.0.0.1");
        keys.put("ragmail.from", "support@shop.example");
        keys.put("ragmail.data.dir", dataDir.toString());
        RagmailConfig config = LayeredConfig.builder().flags(keys).build();
        System.out.println("problems: " + config.problems());

        try (RagmailComponents components = RagmailComponents.open(config)) {
            System.out.println("default: opened " + components.drafter());
        } catch (RuntimeException e) {
            System.out.println("default: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        Map<String, String> embed = new HashMap<>(keys);
        embed.put("ragmail.knowledge.embedding-model", "mistral-embed");
        embed.put("ragmail.mistral.api-key", "sk-not-used-0123456789");
        try (RagmailComponents components = RagmailComponents.open(embed::get)) {
            System.out.println("mistral-embed: opened " + components.drafter());
        } catch (RuntimeException e) {
            System.out.println("mistral-embed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        // what a failed open had opened is closed again: the ledger file is free
        try (SqliteLedger ledger = SqliteLedger.open(dataDir.resolve(RagmailComponents.LEDGER_FILE))) {
            System.out.println("ledger states: " + ledger.countByState());
        }
    }
}
