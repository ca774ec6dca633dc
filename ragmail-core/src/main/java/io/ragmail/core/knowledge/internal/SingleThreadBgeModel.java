package io.ragmail.core.knowledge.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The default model, quantized bge-small-en-v1.5, from the same files in the same jar as langchain4j's
 * {@code BgeSmallEnV15QuantizedEmbeddingModel} (same vectors: CLS pooling, same tokenizer), but in an
 * ONNX session with <em>one</em> intra-op thread that does not spin while it waits. langchain4j's
 * session takes as many intra-op threads as cores and spins them; with the query on the caller's
 * thread and a batch already spread over the cores by langchain4j's executor, those threads only
 * compete with each other and with everything else on the machine, and a query waits for a core
 * (docs/benchmarks.md, "Latency as a user sees it": p99 of search with embedding 180 vs 217 ms in one
 * interleaved run). Loaded only by reflection from {@link DefaultEmbeddingModel}, so a class path
 * without the ONNX runtime never touches it.
 */
public final class SingleThreadBgeModel extends AbstractInProcessEmbeddingModel {

    private static final String MODEL_RESOURCE = "bge-small-en-v1.5-q.onnx";
    private static final String TOKENIZER_RESOURCE = "bge-small-en-v1.5-q-tokenizer.json";
    private static final int DIMENSION = 384;

    private SingleThreadBgeModel() {
        super(null); // langchain4j's default executor: one thread per core for batches
    }

    /** The shared instance: one ONNX session per JVM, as langchain4j's own class keeps one. */
    public static SingleThreadBgeModel create() {
        return Holder.INSTANCE;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return Holder.ENCODER;
    }

    @Override
    protected Integer knownDimension() {
        return DIMENSION;
    }

    @Override
    public String modelName() {
        return DefaultEmbeddingModel.MODEL_NAME;
    }

    private static OnnxBertBiEncoder load() {
        ClassLoader loader = SingleThreadBgeModel.class.getClassLoader();
        try (InputStream model = loader.getResourceAsStream(MODEL_RESOURCE);
             InputStream tokenizer = loader.getResourceAsStream(TOKENIZER_RESOURCE)) {
            if (model == null || tokenizer == null) {
                throw new IllegalStateException(MODEL_RESOURCE + " or " + TOKENIZER_RESOURCE + " is not on the class path");
            }
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session = environment.createSession(model.readAllBytes(), options);
            return new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.CLS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot start the ONNX session of " + MODEL_RESOURCE + ": " + e, e);
        }
    }

    private static final class Holder {
        static final OnnxBertBiEncoder ENCODER = load();
        static final SingleThreadBgeModel INSTANCE = new SingleThreadBgeModel();
    }
}
