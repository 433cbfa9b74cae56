package io.annals.workers.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A batch four times the size of the heap is ingested: the ingest streams and never holds the batch. */
class StreamingIngestTest {

    @Test
    void givenBatchLargerThanTheHeap_whenIngested_thenEveryRowCountedAndDigestRight() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process check = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                StreamingIngestCheck.class.getName(), "256")).redirectErrorStream(true).start();
        assertThat(check.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("digestMatches=true").contains("maxHeapMb=");
        long rows = Long.parseLong(output.replaceAll("(?s).*rows=(\\d+).*", "$1"));
        long recorded = Long.parseLong(output.replaceAll("(?s).*recorded=(\\d+).*", "$1"));
        long bytes = Long.parseLong(output.replaceAll("(?s).*bytes=(\\d+).*", "$1"));
        assertThat(bytes).isGreaterThanOrEqualTo(256L * 1024 * 1024);
        assertThat(rows).isGreaterThan(5_000_000).isEqualTo(recorded);
    }
}
