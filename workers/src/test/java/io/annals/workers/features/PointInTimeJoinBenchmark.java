package io.annals.workers.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The join benchmark of the README ("Point-in-time training sets"): {@link JoinBenchmark} in a JVM with a 512 MB heap,
 * as a training worker would have. Off by default: {@code -Dannals.bench=true}. It asserts that the join finishes
 * within that heap and writes a row per label; the figures are printed, not asserted.
 */
@EnabledIfSystemProperty(named = "annals.bench", matches = "true")
class PointInTimeJoinBenchmark {

    @Test
    void joinAtScaleInA512MbHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String sourceRows = System.getProperty("annals.bench.source-rows", "1000000");
        Process bench = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                JoinBenchmark.class.getName(), sourceRows, System.getProperty("annals.bench.label-rows", "100000"),
                "10000", System.getProperty("annals.bench.rows-in-memory", "100000")))
                .redirectErrorStream(true).start();
        assertThat(bench.waitFor(30, TimeUnit.MINUTES)).isTrue();
        String output = new String(bench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("\n== Annals point-in-time join benchmark ==\n" + output);
        assertThat(bench.exitValue()).as(output).isZero();
        assertThat(output).contains("source=" + sourceRows + " ");
    }
}
