package io.annals.app.rest;

import io.annals.app.security.BearerTokenFilter;
import io.annals.command.api.common.Actor;
import io.annals.command.api.dataset.DatasetName;
import io.annals.workers.ingest.BatchIngestService;
import io.annals.workers.ingest.InvalidBatchException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
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

    @PostMapping(path = "/v1/datasets/{name}/batches", consumes = {"text/csv", "application/octet-stream"},
            produces = "application/json")
    ResponseEntity<Map<String, Object>> upload(@PathVariable("name") String name,
                                               @RequestParam("partition") String partition,
                                               HttpServletRequest request) throws IOException {
        Actor actor = (Actor) request.getAttribute(BearerTokenFilter.PRINCIPAL_ATTRIBUTE);
        Map<String, Object> body = new LinkedHashMap<>();
        try {
            var batch = ingest.ingest(DatasetName.of(name), partition, request.getInputStream(), actor);
            body.put("batchId", batch.batchId().value());
            body.put("partition", batch.partition());
            body.put("rows", batch.rows());
            body.put("sha256", batch.artifact().sha256());
            body.put("location", batch.artifact().location());
            return ResponseEntity.status(HttpStatus.CREATED).body(body);
        } catch (InvalidBatchException e) {
            log.info("Refused a batch for {}: {}", name, e.getMessage());
            body.put("error", "INVALID_BATCH");
            body.put("message", e.getMessage());
            body.put("row", e.row());
            body.put("column", e.column());
            return ResponseEntity.badRequest().body(body);
        } catch (IllegalArgumentException e) {
            log.info("Refused a batch for {}: {}", name, e.getMessage());
            body.put("error", "INVALID_INPUT");
            body.put("message", e.getMessage());
            return ResponseEntity.badRequest().body(body);
        }
    }
}
