package io.annals.workers.ingest;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.dataset.IngestDatasetBatch;
import io.annals.workers.port.CommandPort;
import io.annals.workers.port.DatasetSchemas;
import io.annals.workers.storage.ArtifactStore;
import io.annals.workers.storage.Sha256;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Run in a JVM with a small heap by {@link StreamingIngestTest}: ingests a generated CSV of the given size in MB,
 * which never exists in memory or on disk before the ingest spools it. Prints the rows and the digest check.
 */
public final class StreamingIngestCheck {

    public static void main(String[] args) throws Exception {
        long bytes = Long.parseLong(args[0]) * 1024 * 1024;
        Path spool = Files.createTempDirectory("ingest-check");
        DatasetSchema schema = new DatasetSchema(List.of(new ColumnSpec("id", ColumnType.LONG, false),
                new ColumnSpec("amount", ColumnType.DOUBLE, false), new ColumnSpec("note", ColumnType.STRING, true)));
        DatasetSchemas schemas = name -> Optional.of(schema);
        String[] digestOfStored = new String[1];
        ArtifactStore store = new ArtifactStore() {
            @Override
            public ArtifactRef putOnce(String key, Path file, String sha256) {
                digestOfStored[0] = Sha256.of(file);
                try {
                    return new ArtifactRef("s3://check/" + key, sha256, Files.size(file));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void fetchVerified(ArtifactRef artifact, Path target) {
                throw new UnsupportedOperationException("the check only writes");
            }

            @Override
            public void delete(String location) {
            }
        };
        long[] recordedRows = new long[1];
        CommandPort commands = new CommandPort() {
            @Override
            @SuppressWarnings("unchecked")
            public <R> R send(Object command, Actor actor, String correlationId) {
                recordedRows[0] = ((IngestDatasetBatch) command).rows();
                return null;
            }
        };
        var service = new BatchIngestService(store, schemas, commands, spool);
        var batch = service.ingest(DatasetName.of("big"), "p", new GeneratedCsv(bytes), Actor.service("check"));
        Runtime rt = Runtime.getRuntime();
        System.out.println("rows=" + batch.rows() + " recorded=" + recordedRows[0] + " bytes="
                + batch.artifact().sizeBytes() + " digestMatches=" + batch.artifact().sha256().equals(digestOfStored[0])
                + " maxHeapMb=" + rt.maxMemory() / (1024 * 1024));
    }

    /** CSV rows produced on demand until the size is reached. */
    static final class GeneratedCsv extends InputStream {
        private final long limit;
        private long produced;
        private long row;
        private byte[] current = "id,amount,note\n".getBytes(StandardCharsets.UTF_8);
        private int position;

        GeneratedCsv(long limit) {
            this.limit = limit;
        }

        @Override
        public int read() {
            if (position == current.length) {
                if (produced >= limit) {
                    return -1;
                }
                row++;
                current = (row + "," + (row % 1000) * 0.25 + ",\"note, " + row + "\"\n")
                        .getBytes(StandardCharsets.UTF_8);
                position = 0;
            }
            produced++;
            return current[position++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = 0;
            while (n < len) {
                int c = read();
                if (c < 0) {
                    return n == 0 ? -1 : n;
                }
                b[off + n++] = (byte) c;
            }
            return n;
        }
    }
}
