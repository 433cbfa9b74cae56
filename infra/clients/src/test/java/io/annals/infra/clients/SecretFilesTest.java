package io.annals.infra.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several processes creating the same secret file at once all end up with the first one's content. */
class SecretFilesTest {

    @TempDir
    Path dir;

    @Test
    void givenManyCreatorsAtOnce_whenTheyReadOrCreate_thenAllReadOneValue_ownerOnly_withNoTemporaryFileLeft()
            throws Exception {
        Path file = dir.resolve("nested").resolve("secrets.key");
        int creators = 16;
        AtomicInteger made = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(creators);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < creators; i++) {
                int mine = i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return SecretFiles.readOrCreate(file, () -> {
                        made.incrementAndGet();
                        return "value-of-" + mine;
                    });
                }));
            }
            start.countDown();
            Set<String> seen = new HashSet<>();
            for (Future<String> answer : answers) {
                seen.add(answer.get());
            }
            assertThat(seen).hasSize(1);
            assertThat(Files.readString(file)).isEqualTo(seen.iterator().next());
            assertThat(made.get()).isBetween(1, creators);
        } finally {
            pool.shutdownNow();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var left = Files.list(file.getParent())) {
            assertThat(left.toList()).containsExactly(file);
        }
        // an existing file is read as it is, and nothing new is made
        assertThat(SecretFiles.readOrCreate(file, () -> {
            throw new AssertionError("not asked for a new value");
        })).isEqualTo(Files.readString(file).trim());
    }
}
