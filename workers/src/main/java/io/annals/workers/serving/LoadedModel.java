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

    /** One per predictor, so used by one request at a time; its rows go into the predictor's {@link KeptInput}. */
    private static final class RowsTranslator implements NoBatchifyTranslator<Object[][], Predictions> {

        private final ModelMetadata metadata;
        private final FeatureEncoder encoder;
        private final KeptInput input = new KeptInput();

        RowsTranslator(ModelMetadata metadata) {
            this.metadata = metadata;
            this.encoder = metadata.inputs();
        }

        @Override
        public NDList processInput(TranslatorContext ctx, Object[][] rows) {
            float[] first = encoder.encode(rows[0]);
            int width = first.length;
            ByteBuffer buffer = input.floats(Math.multiplyExact(rows.length, width));
            FloatBuffer floats = buffer.asFloatBuffer();
            floats.put(first);
            for (int i = 1; i < rows.length; i++) {
                floats.put(encoder.encode(rows[i]));
            }
            return new NDList(ctx.getNDManager().create(buffer, new Shape(rows.length, width), DataType.FLOAT32));
        }

        @Override
        public Predictions processOutput(TranslatorContext ctx, NDList list) {
            return Predictions.of(list.singletonOrThrow(), metadata.task(), metadata.labelMean(),
                    metadata.labelStd());
        }
    }
}
