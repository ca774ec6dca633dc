package io.ragmail.core;

import java.util.Objects;

/**
 * An attachment of an inbound mail, listed but not loaded: its name, MIME type and size in bytes
 * ({@code -1} when the size could not be told without reading it).
 */
public record Attachment(String fileName, String contentType, long sizeBytes) {
    public Attachment {
        fileName = fileName == null ? "" : fileName;
        Objects.requireNonNull(contentType, "contentType");
    }
}
