package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stitch Fix's batch-id rollback: a partition is pointed back at an earlier batch; the bad batch stays on record,
 * the re-point is recorded with who and why, and the dataset can be read as it was before, during and after.
 */
class PartitionRepointTest extends PlatformTestSupport {

    private String batch(String dataset, String partition, String csv) {
        return graphQl(TESTER_TOKEN).document("""
                        mutation($d: String!, $p: String!, $csv: String!) { ingestBatch(input: {dataset: $d,
                          partition: $p, csv: $csv}) { batch { batchId } errors { message } } }""")
                .variable("d", dataset).variable("p", partition).variable("csv", csv).execute()
                .path("ingestBatch.errors").entityList(Object.class).hasSize(0)
                .path("ingestBatch.batch.batchId").entity(String.class).get();
    }

    private Map<String, Object> repoint(String dataset, String partition, String batchId, String reason) {
        return graphQl(TESTER_TOKEN).document("""
                        mutation($d: String!, $p: String!, $b: ID!, $r: String!) { repointPartition(input: {
                          dataset: $d, partition: $p, batchId: $b, reason: $r}) {
                          dataset { partitions { partition batchId reason } batchCount
                            repoints { partition batchId replaced reason by position } }
                          errors { code message } } }""")
                .variable("d", dataset).variable("p", partition).variable("b", batchId).variable("r", reason)
                .execute().path("repointPartition").entity(Map.class).get();
    }

    private Map<String, Object> datasetAsOf(String dataset, Instant asOf) {
        return graphQl(AUDITOR_TOKEN).document("""
                        query($d: String!, $at: DateTime) { dataset(name: $d, asOf: $at) {
                          partitions { partition batchId reason } batchCount repoints { batchId } } }""")
                .variable("d", dataset).variable("at", asOf == null ? null : asOf.toString()).execute()
                .path("dataset").entity(Map.class).get();
    }

    private static List<String> pointedAt(Map<String, Object> dataset) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> partitions = (List<Map<String, Object>>) dataset.get("partitions");
        return partitions.stream().map(p -> p.get("partition") + "=" + p.get("batchId")).sorted().toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenABadBatch_whenThePartitionIsRepointedBack_thenItReadsTheGoodBatchAndTheHistoryTellsWhoAndWhy() {
        String good = (String) ingest("repoint-loans", csv(50, 1)).get("batchId");
        String other = batch("repoint-loans", "q", csv(50, 2));
        String bad = batch("repoint-loans", "p", csv(50, 3));
        Instant beforeRepoint = Instant.now();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(pointedAt(datasetAsOf("repoint-loans", null))).containsExactly("p=" + bad, "q=" + other));
        long eventsBefore = storedEvents();

        Map<String, Object> payload = repoint("repoint-loans", "p", good, "batch had incomes in cents");

        assertThat((List<Object>) payload.get("errors")).isEmpty();
        Map<String, Object> dataset = (Map<String, Object>) payload.get("dataset");
        assertThat(pointedAt(dataset)).containsExactly("p=" + good, "q=" + other);
        assertThat((List<Map<String, Object>>) dataset.get("partitions"))
                .filteredOn(p -> "p".equals(p.get("partition"))).singleElement()
                .satisfies(p -> assertThat(p.get("reason")).isEqualTo("batch had incomes in cents"));
        assertThat(dataset.get("batchCount")).isEqualTo(3); // nothing was removed or added
        assertThat((List<Map<String, Object>>) dataset.get("repoints")).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("partition", "p").containsEntry("batchId", good)
                    .containsEntry("replaced", bad).containsEntry("reason", "batch had incomes in cents")
                    .containsEntry("by", "user:tester"); // from the token, not from the request
        });
        assertThat(storedEvents()).isEqualTo(eventsBefore + 1);

        // as it was before the re-point, and now; the bad batch is still there to read
        assertThat(pointedAt(datasetAsOf("repoint-loans", beforeRepoint))).containsExactly("p=" + bad, "q=" + other);
        assertThat(datasetAsOf("repoint-loans", beforeRepoint).get("repoints")).asList().isEmpty();
        assertThat(pointedAt(datasetAsOf("repoint-loans", Instant.now()))).containsExactly("p=" + good,
                "q=" + other);
        graphQl(AUDITOR_TOKEN).document("query($b: ID!) { batch: batchImpact(batchId: $b) { batch { batchId } } }")
                .variable("b", bad).execute().path("batch.batch.batchId").entity(String.class).isEqualTo(bad);

        // in the audit log with its reason and actor
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl(AUDITOR_TOKEN).document("""
                        { auditEvents(filter: {entityKind: "dataset", entityId: "repoint-loans",
                          eventType: "annals.DatasetPartitionRepointed"}) { edges { node { actor payload } } } }""")
                .execute().path("auditEvents.edges[*].node.actor").entityList(String.class)
                .containsExactly("user:tester"));

        // the same re-point again records nothing; a forward re-point undoes it
        assertThat((List<Object>) repoint("repoint-loans", "p", good, "again").get("errors")).isEmpty();
        assertThat(storedEvents()).isEqualTo(eventsBefore + 1);
        Map<String, Object> undone = (Map<String, Object>) repoint("repoint-loans", "p", bad, "cents were fine")
                .get("dataset");
        assertThat(pointedAt(undone)).containsExactly("p=" + bad, "q=" + other);
        assertThat((List<Object>) undone.get("repoints")).hasSize(2);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyError(Map<String, Object> payload) {
        assertThat(payload.get("dataset")).isNull();
        List<Map<String, Object>> errors = (List<Map<String, Object>>) payload.get("errors");
        assertThat(errors).hasSize(1);
        return errors.get(0);
    }

    @Test
    void givenWrongInput_whenRepointed_thenATypedErrorAndNothingRecorded() {
        String good = (String) ingest("repoint-refusals", csv(50, 4)).get("batchId");
        String other = batch("repoint-refusals", "q", csv(50, 5));
        long eventsBefore = storedEvents();

        assertThat(onlyError(repoint("repoint-refusals", "p", other, "wrong partition")))
                .containsEntry("code", "INVALID_INPUT").containsEntry("message", "batch " + other
                        + " belongs to partition 'q' of dataset repoint-refusals, not to 'p'");
        assertThat(onlyError(repoint("repoint-refusals", "p", "no-such-batch", "typo")))
                .containsEntry("code", "NOT_FOUND");
        assertThat(onlyError(repoint("repoint-nowhere", "p", good, "no dataset")))
                .containsEntry("code", "NOT_FOUND").containsEntry("message", "dataset 'repoint-nowhere' does not exist");
        assertThat(onlyError(repoint("repoint-refusals", "p", good, " ")))
                .containsEntry("code", "INVALID_INPUT").containsEntry("message", "reason must not be blank");
        assertThat(storedEvents()).isEqualTo(eventsBefore);
    }
}
