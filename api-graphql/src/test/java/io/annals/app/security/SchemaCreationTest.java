package io.annals.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.app.PlatformTestSupport;
import io.annals.app.records.LocalRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Several processes started at once on a fresh database each create Annals' own tables; every one of them must
 * start. Each round is a new database on the stack's PostgreSQL and eight creators released together.
 */
class SchemaCreationTest extends PlatformTestSupport {

    private static final int CREATORS = 8;
    private static final int ROUNDS = 10;

    @Test
    void givenEightProcessesStartingAtOnceOnAFreshDatabase_whenEachCreatesTheTables_thenAllStartAndTheTablesExist()
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CREATORS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String database = "annals_schema_race_" + System.nanoTime();
                jdbc.execute("create database " + database);
                try {
                    DriverManagerDataSource fresh = new DriverManagerDataSource(
                            env.getRequiredProperty("annals.postgres.url").replaceFirst("/[^/?]+(\\?|$)",
                                    "/" + database + "$1"),
                            env.getRequiredProperty("annals.postgres.user"),
                            env.getRequiredProperty("annals.postgres.password"));
                    CyclicBarrier together = new CyclicBarrier(CREATORS);
                    List<Future<?>> creators = new ArrayList<>();
                    for (int i = 0; i < CREATORS; i++) {
                        creators.add(pool.submit(() -> {
                            together.await(30, TimeUnit.SECONDS);
                            LocalRecords.createTables(fresh);
                            return null;
                        }));
                    }
                    for (Future<?> creator : creators) {
                        creator.get(60, TimeUnit.SECONDS); // rethrows a creator's failure
                    }
                    JdbcTemplate check = new JdbcTemplate(fresh);
                    assertThat(check.queryForObject("select count(*) from information_schema.tables "
                            + "where table_name in ('annals_principals', 'annals_api_token_usage')", Integer.class))
                            .as("round %d", round).isEqualTo(2);
                } finally {
                    jdbc.execute("drop database " + database + " with (force)");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
