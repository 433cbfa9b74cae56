package io.annals.workers.ingest;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.dataset.IngestDatasetBatch;
import io.annals.workers.port.CommandPort;
import io.annals.workers.port.DatasetSchemas;
import io.annals.workers.storage.ArtifactStore;
import io.annals.workers.storage.Sha256;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests a CSV batch: one streaming pass checks every row against the schema, gathers column statistics and
 * computes the SHA-256 while spooling the bytes to a local file; only a valid batch is stored, write-once, under a
 * key holding its batch id, and only a stored batch is recorded. If the command side refuses the batch the stored
 * object is removed again, so a failed ingest leaves neither an event nor an object.
 */
public final class BatchIngestService {

    private static final Logger log = LoggerFactory.getLogger(BatchIngestService.class);

    private final ArtifactStore store;
    private final DatasetSchemas schemas;
    private final CommandPort commands;
    private final Path spoolDirectory;

    public BatchIngestService(ArtifactStore store, DatasetSchemas schemas, CommandPort commands,
                              Path spoolDirectory) {
        this.store = store;
        this.schemas = schemas;
        this.commands = commands;
        this.spoolDirectory = spoolDirectory;
    }

    public record IngestedBatch(BatchId batchId, String partition, ArtifactRef artifact, long rows) {
    }

    public IngestedBatch ingest(DatasetName dataset, String partition, InputStream csv, Actor actor) {
        DatasetSchema schema = schemas.schema(dataset).orElseThrow(() ->
                new IllegalArgumentException("dataset '" + dataset + "' does not exist"));
        if (partition == null || partition.isBlank()) {
            throw new IllegalArgumentException("partition must not be blank");
        }
        BatchId batchId = BatchId.random();
        Path spool = null;
        try {
            Files.createDirectories(spoolDirectory);
            spool = Files.createTempFile(spoolDirectory, "batch-", ".csv");
            MessageDigest digest = Sha256.newDigest();
            RowValidator validator = new RowValidator(schema);
            long begin = System.nanoTime();
            try (InputStream hashed = new DigestInputStream(csv, digest);
                 OutputStream out = Files.newOutputStream(spool);
                 var reader = new BufferedReader(new InputStreamReader(new TeeInputStream(hashed, out),
                         StandardCharsets.UTF_8), 64 * 1024)) {
                CsvReader records = new CsvReader(reader);
                List<String> header = records.next();
                if (header == null) {
                    throw new InvalidBatchException(0, null, "the batch is empty: expected a header row");
                }
                validator.header(header);
                for (List<String> row = records.next(); row != null; row = records.next()) {
                    validator.row(row);
                    if (validator.rows() % 1_000_000 == 0) {
                        log.info("Ingest into {}: {} rows checked", dataset, validator.rows());
                    }
                }
            }
            if (validator.rows() == 0) {
                throw new InvalidBatchException(0, null, "the batch has a header but no rows");
            }
            String sha256 = Sha256.hex(digest);
            String key = "datasets/" + dataset + "/batches/" + batchId + ".csv";
            ArtifactRef stored = store.putOnce(key, spool, sha256);
            log.info("Stored batch {} of {} ({} rows, {} bytes) at {} in {} ms", batchId, dataset, validator.rows(),
                    stored.sizeBytes(), stored.location(), (System.nanoTime() - begin) / 1_000_000);
            try {
                commands.send(new IngestDatasetBatch(dataset, batchId, partition, stored.location(), sha256,
                        validator.rows(), stored.sizeBytes(), validator.statistics()), actor, null);
            } catch (RuntimeException refused) {
                store.delete(stored.location());
                throw refused;
            }
            return new IngestedBatch(batchId, partition, stored, validator.rows());
        } catch (CsvReader.MalformedCsvException e) {
            throw new InvalidBatchException(0, null, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the uploaded batch", e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    log.warn("could not delete spool file {}", spool);
                }
            }
        }
    }
}
