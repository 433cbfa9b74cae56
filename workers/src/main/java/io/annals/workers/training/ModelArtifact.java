package io.annals.workers.training;

import ai.djl.Model;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.workers.storage.WorkDirectories;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** The artifact format: a zip with the DJL parameters and {@link ModelMetadata}. */
public final class ModelArtifact {

    static final String METADATA = "annals-model.json";
    static final String MODEL_NAME = "mlp";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelArtifact() {
    }

    /** The network for these hidden layers: Linear+ReLU per hidden layer, then the output units. */
    public static Block network(List<Integer> hiddenUnits, int outputs) {
        SequentialBlock block = new SequentialBlock();
        for (int units : hiddenUnits) {
            block.add(Linear.builder().setUnits(units).build());
            block.add(Activation::relu);
        }
        block.add(Linear.builder().setUnits(outputs).build());
        return block;
    }

    static void write(Model model, ModelMetadata metadata, Path zip) throws IOException {
        Path dir = Files.createTempDirectory(zip.getParent(), "artifact-");
        try {
            model.save(dir, MODEL_NAME);
            try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
                z.putNextEntry(new ZipEntry(METADATA));
                z.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata));
                z.closeEntry();
                try (var files = Files.list(dir)) {
                    for (Path file : files.sorted().toList()) {
                        z.putNextEntry(new ZipEntry(file.getFileName().toString()));
                        Files.copy(file, z);
                        z.closeEntry();
                    }
                }
            }
        } finally {
            WorkDirectories.deleteTree(dir);
        }
    }

    /** Unpacks the artifact into {@code dir} and returns its metadata. */
    public static ModelMetadata unpack(Path zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir) || e.isDirectory()) {
                    throw new IOException("unexpected entry in model artifact: " + e.getName());
                }
                Files.copy(in, target);
            }
        }
        Path metadata = dir.resolve(METADATA);
        if (!Files.exists(metadata)) {
            throw new IOException("model artifact has no " + METADATA);
        }
        ModelMetadata m = JSON.readValue(metadata.toFile(), ModelMetadata.class);
        if (m.formatVersion() < 1 || m.formatVersion() > ModelMetadata.FORMAT_VERSION) {
            throw new IOException("model artifact format " + m.formatVersion() + " is not supported");
        }
        return m;
    }
}
