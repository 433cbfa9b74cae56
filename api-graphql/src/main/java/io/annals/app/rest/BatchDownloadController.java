package io.annals.app.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.infra.clients.WireJson;
import io.annals.workers.config.WorkerSettings;
import io.annals.workers.port.DatasetBatches;
import io.annals.workers.storage.ArtifactStore;
import io.annals.workers.storage.DigestMismatchException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Any batch as CSV: {@code GET /v1/datasets/{name}/batches/{batchId}}. The stored bytes are first downloaded and
 * checked against the SHA-256 the log recorded, so a client never receives bytes that are not the batch: 404 for a
 * batch the dataset does not have, 409 when the stored object no longer matches, 503 when storage does not answer.
 * The digest is also in the {@code X-Annals-Sha256} header and the ETag.
 */
@RestController
class BatchDownloadController {

    private static final Logger log = LoggerFactory.getLogger(BatchDownloadController.class);

    private final DatasetBatches datasets;
    private final ArtifactStore store;
    private final Path downloads;

    BatchDownloadController(DatasetBatches datasets, ArtifactStore store, WorkerSettings settings) {
        this.datasets = datasets;
        this.store = store;
        this.downloads = settings.workDir().resolve("downloads");
    }

    record Refused(String error, String message) {
    }

    @GetMapping(path = "/v1/datasets/{name}/batches/{batchId}")
    ResponseEntity<Resource> download(@PathVariable("name") String name, @PathVariable("batchId") String batchId) {
        Optional<BatchInput> batch;
        try {
            batch = datasets.batch(new BatchRef(DatasetName.of(name), BatchId.of(batchId)));
        } catch (IllegalArgumentException e) {
            return refuse(HttpStatus.BAD_REQUEST, "INVALID_INPUT", e.getMessage());
        }
        if (batch.isEmpty()) {
            return refuse(HttpStatus.NOT_FOUND, "NOT_FOUND", "dataset '" + name + "' has no batch " + batchId);
        }
        BatchInput input = batch.get();
        Path file = downloads.resolve(batchId + "-" + UUID.randomUUID() + ".csv");
        try {
            Files.createDirectories(downloads);
            store.fetchVerified(new ArtifactRef(input.location(), input.sha256(), 0), file);
        } catch (DigestMismatchException e) {
            log.warn("Refused to serve batch {} of {}: {}", batchId, name, e.getMessage());
            return refuse(HttpStatus.CONFLICT, "DIGEST_MISMATCH", e.getMessage());
        } catch (DomainException e) {
            log.warn("Could not serve batch {} of {} ({}): {}", batchId, name, e.code(), e.getMessage());
            return refuse(e.code() == DomainException.Code.NOT_FOUND ? HttpStatus.CONFLICT
                    : HttpStatus.SERVICE_UNAVAILABLE, e.code() == DomainException.Code.NOT_FOUND ? "MISSING_OBJECT"
                    : e.code().name(), e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("could not prepare batch " + batchId + " for download", e);
        }
        return ResponseEntity.ok().contentType(new MediaType("text", "csv"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "-" + batchId + ".csv\"")
                .header("X-Annals-Sha256", input.sha256()).eTag("\"" + input.sha256() + "\"")
                .contentLength(size(file)).body(new InputStreamResource(deletedWhenClosed(file)));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The verified copy, read once and then removed. */
    private static InputStream deletedWhenClosed(Path file) {
        try {
            return new FilterInputStream(Files.newInputStream(file)) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        Files.deleteIfExists(file);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ResponseEntity<Resource> refuse(HttpStatus status, String code, String message) {
        try {
            return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                    .body(new ByteArrayResource(WireJson.mapper().writeValueAsBytes(new Refused(code, message))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
