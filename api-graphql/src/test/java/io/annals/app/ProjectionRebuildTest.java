package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.query.audit.AuditProjection;
import io.annals.query.elastic.Documents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Any read model can be dropped and rebuilt from the event log. */
class ProjectionRebuildTest extends PlatformTestSupport {

    @Autowired
    Documents documents;

    @Test
    void givenHistory_whenTheAuditProjectionIsRebuilt_thenItHoldsEveryEventAgain() {
        graphQl(TESTER_TOKEN).document("""
                        mutation { registerDataset(input: {name: "rebuilt", columns: [{name: "x", type: DOUBLE}]}) {
                          errors { message } } }""")
                .execute().path("registerDataset.errors").entityList(Object.class).hasSize(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> documents.count(AuditProjection.INDEX) == storedEvents());

        graphQl(TESTER_TOKEN).document("""
                        mutation { rebuildProjection(input: {name: "audit-projection"}) { name errors { message } } }""")
                .execute().path("rebuildProjection.errors").entityList(Object.class).hasSize(0)
                .path("rebuildProjection.name").entity(String.class).isEqualTo("audit-projection");

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            assertThat(documents.count(AuditProjection.INDEX)).isEqualTo(storedEvents());
            List<Map<String, Object>> projections = graphQl(AUDITOR_TOKEN)
                    .document("{ projections { name replaying running } }").execute()
                    .path("projections").entityList(Map.class).get().stream()
                    .map(m -> (Map<String, Object>) m).toList();
            assertThat(projections).filteredOn(p -> "audit-projection".equals(p.get("name")))
                    .singleElement().satisfies(p -> {
                        assertThat(p.get("replaying")).isEqualTo(false);
                        assertThat(p.get("running")).isEqualTo(true);
                    });
        });
    }

    @Test
    void givenNonAdministrator_whenRebuilding_thenRefused() {
        graphQl(AUDITOR_TOKEN).document("""
                        mutation { rebuildProjection(input: {name: "audit-projection"}) { errors { code message } } }""")
                .execute()
                .path("rebuildProjection.errors[0].code").entity(String.class).isEqualTo("REJECTED")
                .path("rebuildProjection.errors[0].message").entity(String.class)
                .isEqualTo("principal 'auditor' is not an administrator (annals.security.admins)");
    }

    @Test
    void givenTheKafkaPublisher_whenRebuilding_thenRefusedAsNotAProjection() {
        graphQl(TESTER_TOKEN).document("""
                        mutation { rebuildProjection(input: {name: "kafka-publisher"}) { errors { code message } } }""")
                .execute()
                .path("rebuildProjection.errors[0].code").entity(String.class).isEqualTo("INVALID_INPUT")
                .path("rebuildProjection.errors[0].message").entity(String.class)
                .satisfies(m -> assertThat(m).startsWith("'kafka-publisher' is not a projection; projections: "
                        + "audit-projection"));
    }
}
