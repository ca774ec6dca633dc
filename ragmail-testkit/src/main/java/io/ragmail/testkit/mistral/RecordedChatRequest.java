package io.ragmail.testkit.mistral;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code POST /v1/chat/completions} request as {@link FakeMistralServer} received it, for
 * assertions and for rule-based replies. The API key is never recorded, only whether it matched.
 *
 * @param sequence           1 for the first request the server received, 2 for the next, ...
 * @param receivedAtNanos    {@link System#nanoTime()} when the request arrived, to measure gaps
 * @param authorized         whether the {@code Authorization: Bearer} key was the expected one
 * @param model              the requested model, empty when absent
 * @param messages           the chat messages, in order
 * @param responseFormatType {@code response_format.type} ({@code "json_object"}, {@code "text"}), empty when absent
 * @param temperature        the requested temperature, when given
 * @param maxTokens          the requested {@code max_tokens}, when given
 * @param body               the raw JSON body
 * @param status             the HTTP status the server answered with ({@code 0} when it never answered)
 */
public record RecordedChatRequest(
        int sequence,
        long receivedAtNanos,
        boolean authorized,
        String model,
        List<Message> messages,
        String responseFormatType,
        Optional<Double> temperature,
        Optional<Integer> maxTokens,
        String body,
        int status) {

    public RecordedChatRequest {
        model = model == null ? "" : model;
        messages = List.copyOf(messages);
        responseFormatType = responseFormatType == null ? "" : responseFormatType;
        Objects.requireNonNull(temperature, "temperature");
        Objects.requireNonNull(maxTokens, "maxTokens");
        body = body == null ? "" : body;
    }

    /** One chat message: {@code role} is {@code system}, {@code user}, {@code assistant} or {@code tool}. */
    public record Message(String role, String content) {
        public Message {
            Objects.requireNonNull(role, "role");
            content = content == null ? "" : content;
        }
    }

    /** Whether the client asked for Mistral's JSON mode ({@code response_format: {"type": "json_object"}}). */
    public boolean jsonMode() {
        return "json_object".equals(responseFormatType);
    }

    /** The content of the first message with this role, empty when there is none. */
    public String firstContent(String role) {
        return messages.stream().filter(m -> m.role().equals(role)).map(Message::content).findFirst().orElse("");
    }

    /** The system prompt, empty when there is none. */
    public String system() {
        return firstContent("system");
    }

    /** The content of the first user message, empty when there is none. */
    public String firstUser() {
        return firstContent("user");
    }

    /** The content of the last user message, empty when there is none. */
    public String lastUser() {
        String last = "";
        for (Message m : messages) {
            if (m.role().equals("user")) {
                last = m.content();
            }
        }
        return last;
    }

    RecordedChatRequest withStatus(int newStatus) {
        return new RecordedChatRequest(sequence, receivedAtNanos, authorized, model, messages, responseFormatType,
                temperature, maxTokens, body, newStatus);
    }
}
