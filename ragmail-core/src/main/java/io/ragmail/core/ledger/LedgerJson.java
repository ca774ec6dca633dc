package io.ragmail.core.ledger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ragmail.core.Component;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailHeaders;
import io.ragmail.core.MailKey;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.OutboundReply;

import java.util.List;

/**
 * The JSON form of the value types a ledger stores ({@link InboundMail}, {@link OutboundReply}).
 * Jackson is configured here with mix-ins so that the core value types carry no Jackson
 * annotations. Unknown properties are ignored, so an entry written by a newer version still reads.
 */
final class LedgerJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .addMixIn(MailHeaders.class, MailHeadersMixIn.class)
            .addMixIn(MailKey.class, MailKeyMixIn.class)
            .build();

    private LedgerJson() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new NonRetriableException(Component.LEDGER, "cannot write " + value.getClass().getSimpleName()
                    + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new NonRetriableException(Component.LEDGER, "cannot read " + type.getSimpleName()
                    + " from the ledger: " + e.getOriginalMessage(), e);
        }
    }

    /** {@link MailHeaders} is a plain final class: read and write it as {@code {"fields": [...]}}. */
    abstract static class MailHeadersMixIn {
        @JsonCreator
        MailHeadersMixIn(@JsonProperty("fields") List<MailHeaders.Field> fields) {
        }

        @JsonProperty("fields")
        abstract List<MailHeaders.Field> fields();
    }

    /** {@link MailKey#isDigest()} is derived from the message id: not written as a property of its own. */
    abstract static class MailKeyMixIn {
        @JsonIgnore
        abstract boolean isDigest();
    }
}
