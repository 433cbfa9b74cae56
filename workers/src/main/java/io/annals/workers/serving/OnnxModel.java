package io.annals.workers.serving;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.annals.command.api.model.ImportedModel;
import io.annals.command.api.trainingrun.Task;
import io.annals.workers.training.FeatureEncoder;
import io.annals.workers.training.ModelMetadata;
import io.annals.workers.training.Predictions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A model trained elsewhere, run by DJL's ONNX Runtime engine: one FP32 input {@code [n, features]} in the order its
 * signature declares, and the output tensor it names. {@link #load} checks the file against the signature before any
 * version is recorded: its declared input and outputs (read with ONNX Runtime's own API), then one row answered.
 */
public final class OnnxModel implements ServedModel {

    public static final String ENGINE = "OnnxRuntime";

    private final ModelMetadata metadata;
    private final ImportedModel signature;
    private final PredictorPool predictors;

    private OnnxModel(ModelMetadata metadata, ImportedModel signature, Model model, Predictors size) {
        this.metadata = metadata;
        this.signature = signature;
        this.predictors = new PredictorPool(model, size, Translator::new);
    }

    /**
     * Loads an ONNX file (already verified) and checks it against its signature.
     *
     * @throws IllegalArgumentException saying why the file is not a model of this signature
     */
    public static OnnxModel load(Path onnxFile, Path workDir, String modelName, Task task, ImportedModel signature,
                                 Predictors predictors) throws IOException {
        requireSignature(onnxFile, signature);
        Files.createDirectories(workDir);
        Files.copy(onnxFile, workDir.resolve("model.onnx"), StandardCopyOption.REPLACE_EXISTING);
        Model model = Model.newInstance(modelName, ENGINE);
        try {
            model.load(workDir, "model");
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new IllegalArgumentException("the file is not a valid ONNX model: " + rootMessage(e));
        }
        OnnxModel loaded = null;
        try {
            List<FeatureEncoder.Input> inputs = new ArrayList<>();
            signature.features().forEach(f -> inputs.add(new FeatureEncoder.Input(f.name(),
                    FeatureEncoder.Kind.NUMERIC, false, 0f, 1f, List.of())));
            ModelMetadata metadata = new ModelMetadata(ModelMetadata.FORMAT_VERSION, modelName, null, task,
                    signature.featureNames(), signature.label(), List.of(), null, null, 0f, 1f, signature.output(),
                    ENGINE, ai.djl.engine.Engine.getDjlVersion(), 0, 0, 0, Map.of(), new FeatureEncoder(inputs),
                    signature.classes());
            loaded = new OnnxModel(metadata, signature, model, predictors);
            Object[] zeros = new Object[signature.features().size()];
            Arrays.fill(zeros, 0f);
            Predictions answer = loaded.predict(new Object[][] {zeros});
            if (answer.scores().length != 1) {
                throw new IllegalArgumentException("one row in gave " + answer.scores().length + " answers out");
            }
            return loaded;
        } catch (TranslateException e) {
            close(loaded, model);
            throw new IllegalArgumentException("the model could not answer a row of " + signature.features().size()
                    + " features: " + rootMessage(e));
        } catch (InterruptedException e) {
            close(loaded, model);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking the model", e);
        } catch (RuntimeException e) {
            close(loaded, model);
            throw e instanceof IllegalArgumentException ? e : new IllegalArgumentException(rootMessage(e), e);
        }
    }

    private static void close(OnnxModel loaded, Model model) {
        if (loaded != null) {
            loaded.close();
        } else {
            model.close();
        }
    }

    /**
     * Reads the file's declared inputs and outputs with ONNX Runtime's own API and checks them against the signature:
     * one FP32 input of shape {@code [n, features]}, and the named output among its outputs.
     */
    private static void requireSignature(Path file, ImportedModel signature) {
        // DJL's engine creates the process's one ONNX Runtime environment with its thread settings: it goes first
        ai.djl.engine.Engine.getEngine(ENGINE);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(file.toString(), options)) {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (inputs.size() != 1) {
                throw new IllegalArgumentException("the model takes " + inputs.size() + " inputs " + inputs.keySet()
                        + "; an imported model takes one FP32 tensor [n, features]");
            }
            Map.Entry<String, NodeInfo> input = inputs.entrySet().iterator().next();
            int features = signature.features().size();
            if (!(input.getValue().getInfo() instanceof TensorInfo tensor)
                    || tensor.type != OnnxJavaType.FLOAT) {
                throw new IllegalArgumentException("the model's input '" + input.getKey() + "' is "
                        + input.getValue().getInfo() + "; it must be an FP32 tensor [n, " + features + "]");
            }
            long[] shape = tensor.getShape();
            if (shape.length != 2 || (shape[1] > 0 && shape[1] != features)) {
                throw new IllegalArgumentException("the model's input '" + input.getKey() + "' has shape "
                        + Arrays.toString(shape) + "; the signature declares " + features + " features, so it must "
                        + "be [n, " + features + "]");
            }
            if (!session.getOutputNames().contains(signature.output())) {
                throw new IllegalArgumentException("the model has no output '" + signature.output()
                        + "'; its outputs: " + session.getOutputNames());
            }
        } catch (OrtException e) {
            throw new IllegalArgumentException("the file is not a valid ONNX model: " + e.getMessage());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public ModelMetadata metadata() {
        return metadata;
    }

    @Override
    public Predictions predict(Object[][] rows) throws TranslateException, InterruptedException {
        return predictors.predict(rows);
    }

    @Override
    public void close() {
        predictors.close();
    }

    /** One per predictor, so used by one request at a time; its rows go into the predictor's {@link KeptInput}. */
    private final class Translator implements NoBatchifyTranslator<Object[][], Predictions> {

        private final KeptInput input = new KeptInput();

        @Override
        public NDList processInput(TranslatorContext ctx, Object[][] rows) {
            int width = signature.features().size();
            ByteBuffer buffer = input.floats(Math.multiplyExact(rows.length, width));
            FloatBuffer floats = buffer.asFloatBuffer();
            for (Object[] row : rows) {
                for (int j = 0; j < width; j++) {
                    floats.put((Float) row[j]);
                }
            }
            return new NDList(ctx.getNDManager().create(buffer, new Shape(rows.length, width), DataType.FLOAT32));
        }

        @Override
        public Predictions processOutput(TranslatorContext ctx, NDList list) {
            NDArray output = null;
            List<String> names = new ArrayList<>();
            for (NDArray array : list) {
                names.add(array.getName());
                if (signature.output().equals(array.getName())) {
                    output = array;
                }
            }
            if (output == null) {
                throw new IllegalArgumentException("the model has no output '" + signature.output()
                        + "'; its outputs: " + names);
            }
            if (output.getDataType() != DataType.FLOAT32 && !output.getDataType().isFloating()) {
                throw new IllegalArgumentException("output '" + signature.output() + "' holds "
                        + output.getDataType() + "; it must hold floating-point scores or probabilities");
            }
            NDArray values = output.getDataType() == DataType.FLOAT32 ? output : output.toType(DataType.FLOAT32,
                    false);
            return Predictions.fromOutput(metadata.task(), values.getShape().getShape(), values.toFloatArray(),
                    signature.classes().size());
        }
    }
}
