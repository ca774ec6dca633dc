package io.ragmail.core.knowledge;

import io.ragmail.core.KnowledgeDocument;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A knowledge store that can say which sources it holds and in which version, so that a sync can
 * tell added, changed and removed documents apart and remove what disappeared at the source.
 *
 * <pre>{@code
 * Map<String, String> held = store.sourceVersions("file:");
 * boolean unchanged = KnowledgeCatalog.contentHash(doc).equals(held.get(doc.sourceId()));
 * }</pre>
 */
public interface KnowledgeCatalog {

    /** Source id to {@link #contentHash(KnowledgeDocument) content hash} of every source whose id starts with {@code prefix}. */
    Map<String, String> sourceVersions(String sourceIdPrefix);

    /** A SHA-256 over title, text and metadata: equal hashes mean nothing to re-index. */
    static String contentHash(KnowledgeDocument document) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, document.title());
            update(digest, document.text());
            for (Map.Entry<String, String> entry : new TreeMap<>(document.metadata()).entrySet()) {
                update(digest, entry.getKey());
                update(digest, entry.getValue());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void update(MessageDigest digest, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }
}
