package io.ragmail.testkit.mistral;

import java.util.List;

/**
 * One {@code POST /v1/embeddings} request as {@link FakeMistralServer} received it. The API key is
 * never recorded, only whether it matched.
 *
 * <pre>{@code
 * assertThat(mistral.embeddingRequests()).extracting(RecordedEmbeddingRequest::batchSize).containsExactly(32, 32, 7);
 * }</pre>
 *
 * @param sequence   1 for the first embedding request the server received, 2 for the next, ...
 * @param authorized whether the {@code Authorization: Bearer} key was the expected one
 * @param model      the requested model, empty when absent
 * @param inputs     the texts to embed ({@code input}: an array, or one string), in order
 * @param status     the HTTP status the server answered with ({@code 0} while unanswered)
 */
public record RecordedEmbeddingRequest(int sequence, boolean authorized, String model, List<String> inputs, int status) {

    public RecordedEmbeddingRequest {
        model = model == null ? "" : model;
        inputs = List.copyOf(inputs);
    }

    /** How many texts this request asked to embed. */
    public int batchSize() {
        return inputs.size();
    }

    RecordedEmbeddingRequest withStatus(int newStatus) {
        return new RecordedEmbeddingRequest(sequence, authorized, model, inputs, newStatus);
    }
}
