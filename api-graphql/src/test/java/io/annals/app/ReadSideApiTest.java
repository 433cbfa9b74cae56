package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed read side as a client sees it: payloads that return what they made, connections, honest scalars. */
class ReadSideApiTest extends PlatformTestSupport {

    @Test
    @SuppressWarnings("unchecked")
    void givenARegistration_whenThePayloadAsksForTheDataset_thenItIsTheReadModelsAnswer() {
        Map<String, Object> dataset = graphQl(TESTER_TOKEN).document("""
                        mutation { registerDataset(input: {name: "typed-payload", description: "d",
                          columns: [{name: "x", type: DOUBLE}, {name: "n", type: LONG, nullable: true}]}) {
                          dataset { name description schema { name type nullable } batchCount registeredAt
                            registeredBy partitions { partition } }
                          errors { message } } }""")
                .execute().path("registerDataset.errors").entityList(Object.class).hasSize(0)
                .path("registerDataset.dataset").entity(Map.class).get();

        assertThat(dataset).containsEntry("name", "typed-payload").containsEntry("batchCount", 0)
                .containsEntry("registeredBy", "user:tester");
        assertThat((List<Map<String, Object>>) dataset.get("schema")).extracting(c -> c.get("type"))
                .containsExactly("DOUBLE", "LONG");
        assertThat(Instant.parse((String) dataset.get("registeredAt"))).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void givenBatches_whenTheirConnectionIsPaged_thenEachComesOnceNewestFirst() {
        ingest("typed-batches", csv(20, 1));
        List<String> ingested = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ingested.add(0, graphQl(TESTER_TOKEN).document("""
                            mutation($csv: String!) { ingestBatch(input: {dataset: "typed-batches", partition: "p",
                              csv: $csv}) { batch { batchId rows sizeBytes } errors { message } } }""")
                    .variable("csv", csv(10 + i, 2 + i)).execute()
                    .path("ingestBatch.batch.rows").entity(Long.class).isEqualTo(10L + i)
                    .path("ingestBatch.batch.batchId").entity(String.class).get());
        }

        // lists are searches, which see a write within Elasticsearch's refresh interval (a second by default)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl(AUDITOR_TOKEN).document("""
                        { dataset(name: "typed-batches") { batches(first: 1) { totalCount } } }""").execute()
                .path("dataset.batches.totalCount").entity(Long.class).isEqualTo(4L));
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            var page = graphQl(AUDITOR_TOKEN).document("""
                            query($after: String) { dataset(name: "typed-batches") { batchCount
                              batches(first: 2, after: $after) { totalCount edges { node { batchId } }
                                pageInfo { hasNextPage endCursor } } } }""")
                    .variable("after", after).execute();
            page.path("dataset.batches.totalCount").entity(Long.class).isEqualTo(4L);
            seen.addAll(page.path("dataset.batches.edges[*].node.batchId").entityList(String.class).get());
            after = page.path("dataset.batches.pageInfo.hasNextPage").entity(Boolean.class).get()
                    ? page.path("dataset.batches.pageInfo.endCursor").entity(String.class).get() : null;
        } while (after != null);

        assertThat(seen).hasSize(4).doesNotHaveDuplicates();
        assertThat(seen.subList(0, 3)).containsExactlyElementsOf(ingested);
    }

    @Test
    void givenDatasets_whenTheListIsPaged_thenEveryDatasetComesOnceInNameOrder() {
        for (String name : List.of("typed-list-c", "typed-list-a", "typed-list-b")) {
            graphQl(TESTER_TOKEN).document("""
                            mutation($n: String!) { registerDataset(input: {name: $n, columns: [{name: "x",
                              type: DOUBLE}]}) { dataset { name } errors { message } } }""")
                    .variable("n", name).execute().path("registerDataset.dataset.name").entity(String.class)
                    .isEqualTo(name);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl(AUDITOR_TOKEN).document("""
                        { datasets(first: 1000) { edges { node { name } } } }""").execute()
                .path("datasets.edges[*].node.name").entityList(String.class).contains("typed-list-c"));
        List<String> seen = new ArrayList<>();
        long total = -1;
        String after = null;
        do {
            var page = graphQl(AUDITOR_TOKEN).document("""
                            query($after: String) { datasets(first: 2, after: $after) { totalCount
                              edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }""")
                    .variable("after", after).execute();
            total = page.path("datasets.totalCount").entity(Long.class).get();
            seen.addAll(page.path("datasets.edges[*].node.name").entityList(String.class).get());
            after = page.path("datasets.pageInfo.hasNextPage").entity(Boolean.class).get()
                    ? page.path("datasets.pageInfo.endCursor").entity(String.class).get() : null;
        } while (after != null);

        assertThat(seen).hasSize((int) total).doesNotHaveDuplicates().isSorted()
                .containsSubsequence("typed-list-a", "typed-list-b", "typed-list-c");
    }
}
