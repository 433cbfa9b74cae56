package io.annals.workers.serving;

import ai.djl.Model;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import io.annals.workers.training.FeatureEncoder;
import io.annals.workers.training.MlpTrainer;
import io.annals.workers.training.ModelArtifact;
import io.annals.workers.training.ModelMetadata;
import io.annals.workers.training.Predictions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * A model version loaded for serving: the DJL model and a small pool of its predictors. Rows become inputs through the encoder stored in the artifact, as in training.
 */
public final class LoadedModel implements ServedModel {

    private final ModelMetadata metadata;
    private final PredictorPool predictors;

    private LoadedModel(ModelMetadata metadata, Model model, Predictors size) {
        this.metadata = metadata;
        this.predictors = new PredictorPool(model, size, () -> new RowsTranslator(metadata));
    }

    /** Loads an artifact zip (already verified) into memory, unpacking it into {@code workDir}. */
    public static LoadedModel load(Path artifactZip, Path workDir, Predictors predictors) throws IOException {
        ModelMetadata metadata = ModelArtifact.unpack(artifactZip, workDir);
        Model model = Model.newInstance("mlp", MlpTrainer.ENGINE);
        try {
            model.setBlock(ModelArtifact.network(metadata.hiddenUnits(), metadata.outputs()));
            model.load(workDir, "mlp");
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new IOException("could not load the model parameters: " + e.getMessage(), e);
        }
        return new LoadedModel(metadata, model, predictors);
    }

    @Override
    public ModelMetadata metadata() {
        return metadata;
    }

    /** Scores raw rows (see {@link FeatureEncoder}) whose values are in the order of the model's features. */
    @Override
    public Predictions predict(Object[][] rows) throws TranslateException, InterruptedException {
        return predictors.predict(rows);
    }

    @Override
    public void close() {
        predictors.close();
    }

    /**
     * One per predictor, so used by one request at a time ({@link PredictorPool}). The rows' features are written into
     * a direct buffer the translator keeps, from which PyTorch reads them in place ({@code torchFromBlob}); the tensor
     * goes with the request's NDManager, and the buffer serves the next request. DJL's {@code create(float[][])}
     * allocated two direct buffers a request, each with a {@code Cleaner}: at 1,000-2,000 single-row predictions a
     * second that was 16,000 phantom references for each young collection to process, up to 18 ms of its pause (JFR's
     * {@code GCPhasePauseLevel1} "Notify PhantomReferences", ServingBenchmarkIT).
     */
    private static final class RowsTranslator implements NoBatchifyTranslator<Object[][], Predictions> {

        /** A batch larger than this gets a buffer of its own rather than one kept by every predictor. */
        static final int MAX_KEPT_BYTES = 1 << 20;

        private final ModelMetadata metadata;
        private final FeatureEncoder encoder;
        private ByteBuffer kept;

        RowsTranslator(ModelMetadata metadata) {
            this.metadata = metadata;
            this.encoder = metadata.inputs();
        }

        @Override
        public NDList processInput(TranslatorContext ctx, Object[][] rows) {
            float[] first = encoder.encode(rows[0]);
            int width = first.length;
            int bytes = Math.multiplyExact(Math.multiplyExact(rows.length, width), Float.BYTES);
            ByteBuffer buffer = buffer(bytes);
            FloatBuffer floats = buffer.asFloatBuffer();
            floats.put(first);
            for (int i = 1; i < rows.length; i++) {
                floats.put(encoder.encode(rows[i]));
            }
            return new NDList(ctx.getNDManager().create(buffer, new Shape(rows.length, width), DataType.FLOAT32));
        }

        /** A native-order direct buffer of exactly {@code bytes} remaining. */
        private ByteBuffer buffer(int bytes) {
            if (bytes > MAX_KEPT_BYTES) {
                return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            }
            if (kept == null || kept.capacity() < bytes) {
                kept = ByteBuffer.allocateDirect(Math.max(bytes, 4096)).order(ByteOrder.nativeOrder());
            }
            kept.clear().limit(bytes);
            return kept;
        }

        @Override
        public Predictions processOutput(TranslatorContext ctx, NDList list) {
            return Predictions.of(list.singletonOrThrow(), metadata.task(), metadata.labelMean(),
                    metadata.labelStd());
        }
    }
}
