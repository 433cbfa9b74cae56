package io.annals.app.rest;

import io.annals.app.security.BearerTokenFilter;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.dataset.DatasetName;
import io.annals.workers.ingest.BatchIngestService;
import io.annals.workers.ingest.InvalidBatchException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/datasets/{name}/batches?partition=…} with a CSV body: the streaming upload for batches of any
 * size (the request body is read as a stream, never held in memory).
 */
@RestController
class BatchUploadController {

    private static final Logger log = LoggerFactory.getLogger(BatchUploadController.class);

    private final BatchIngestService ingest;

    BatchUploadController(BatchIngestService ingest) {
        this.ingest = ingest;
    }

    /** What a stored batch is: its id, partition, rows, digest and location. */
    record Stored(String batchId, String partition, long rows, String sha256, String location) {
    }

    /** Why a batch was refused; {@code row} and {@code column} name the first bad value when there is one. */
    record Refused(String error, String message, Long row, String column) {
    }

    @PostMapping(path = "/v1/datasets/{name}/batches", consumes = {"text/csv", "application/octet-stream"},
            produces = "application/json")
    ResponseEntity<Object> upload(@PathVariable("name") String name, @RequestParam("partition") String partition,
                                  HttpServletRequest request) throws IOException {
        Actor actor = (Actor) request.getAttribute(BearerTokenFilter.PRINCIPAL_ATTRIBUTE);
        try {
            var batch = ingest.ingest(DatasetName.of(name), partition, request.getInputStream(), actor);
            return ResponseEntity.status(HttpStatus.CREATED).body(new Stored(batch.batchId().value(),
                    batch.partition(), batch.rows(), batch.artifact().sha256(), batch.artifact().location()));
        } catch (InvalidBatchException e) {
            log.info("Refused a batch for {}: {}", name, e.getMessage());
            return ResponseEntity.badRequest().body(new Refused("INVALID_BATCH", e.getMessage(), e.row(),
                    e.column()));
        } catch (IllegalArgumentException e) {
            log.info("Refused a batch for {}: {}", name, e.getMessage());
            return ResponseEntity.badRequest().body(new Refused("INVALID_INPUT", e.getMessage(), null, null));
        } catch (DomainException e) {
            log.info("Refused a batch for {} ({}): {}", name, e.code(), e.getMessage());
            return ResponseEntity.status(RestErrors.status(e.code())).body(new Refused(e.code().name(), e.getMessage(), null, null));
        }
    }
}
