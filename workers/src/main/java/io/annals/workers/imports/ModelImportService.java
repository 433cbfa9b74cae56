package io.annals.workers.imports;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.model.ImportModelVersion;
import io.annals.command.api.model.ImportedModel;
import io.annals.command.api.model.ModelName;
import io.annals.workers.port.CommandPort;
import io.annals.workers.serving.OnnxModel;
import io.annals.workers.serving.Predictors;
import io.annals.workers.storage.ArtifactStore;
import io.annals.workers.storage.Sha256;
import io.annals.workers.storage.WorkDirectories;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a model trained elsewhere: the ONNX file is checked against its declared signature by ONNX Runtime
 * (its input, its output, one row answered) before anything is stored; then it is stored write-once in S3 with its
 * SHA-256 and the version is recorded. A file or signature that does not pass leaves no object and no version; a
 * version the model refuses (another task than its versions') has its object removed again.
 */
public final class ModelImportService {

    private static final Logger log = LoggerFactory.getLogger(ModelImportService.class);

    /** The recorded version and the stored file's digest. */
    public record Imported(String model, int version, String sha256, String location) {
    }

    private final ArtifactStore store;
    private final CommandPort commands;
    private final Path workDirectory;

    public ModelImportService(ArtifactStore store, CommandPort commands, Path workDirectory) {
        this.store = store;
        this.commands = commands;
        this.workDirectory = workDirectory;
    }

    /**
     * @throws IllegalArgumentException when the signature is invalid or the file does not match it, saying why
     */
    public Imported importVersion(ModelName model, InputStream file, ImportedModel signature, Actor actor)
            throws IOException {
        signature.validate();
        Path dir = workDirectory.resolve("import-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            Path onnx = dir.resolve("model.onnx");
            Files.copy(file, onnx);
            if (Files.size(onnx) == 0) {
                throw new IllegalArgumentException("the model file is empty");
            }
            String sha256 = Sha256.of(onnx);
            try (OnnxModel checked = OnnxModel.load(onnx, dir.resolve("check"), model.value(), signature.task(),
                    signature, Predictors.fixed(1))) {
                log.debug("Model '{}': {} passed its signature check ({} features)", model, signature.fileName(),
                        checked.metadata().features().size());
            }
            ArtifactRef stored = store.putOnce("models/" + model + "/imported/" + UUID.randomUUID() + ".onnx", onnx,
                    sha256);
            int version;
            try {
                version = commands.send(new ImportModelVersion(model, stored, signature), actor, null);
            } catch (RuntimeException refused) {
                store.delete(stored.location());
                throw refused;
            }
            log.info("Model '{}' version {} imported by {} from {} ({} bytes, sha256 {})", model, version, actor,
                    signature.fileName(), stored.sizeBytes(), sha256);
            return new Imported(model.value(), version, sha256, stored.location());
        } finally {
            WorkDirectories.deleteTree(dir);
        }
    }
}
