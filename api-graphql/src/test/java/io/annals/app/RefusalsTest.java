package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.graphql.execution.ErrorType;
import software.amazon.awssdk.services.s3.S3Client;

/** Each kind of bad input is refused with a message that names the problem, and leaves nothing behind. */
class RefusalsTest extends PlatformTestSupport {

    @Autowired
    S3Client s3;

    @Value("${annals.s3.bucket}")
    String bucket;

    private void registerDataset(String name) {
        graphQl(TESTER_TOKEN).document("""
                        mutation($name: String!) { registerDataset(input: {name: $name, columns: [
                          {name: "x", type: DOUBLE}, {name: "y", type: LONG}]}) { dataset { name } errors { message } } }""")
                .variable("name", name).execute()
                .path("registerDataset.errors").entityList(Object.class).hasSize(0);
    }

    private long objectsUnder(String prefix) {
        return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).keyCount();
    }

    @Nested
    class Authentication {

        @Test
        void givenNoToken_whenMutating_thenRefusedAndNothingRecorded() {
            long before = storedEvents();
            graphQl(null).document("""
                            mutation { registerDataset(input: {name: "anonymous", columns: [{name: "x", type: DOUBLE}]}) {
                              dataset { name } } }""")
                    .execute().errors().satisfy(errors -> {
                        assertThat(errors).hasSize(1);
                        assertThat(errors.get(0).getErrorType()).isEqualTo(ErrorType.UNAUTHORIZED);
                        assertThat(errors.get(0).getMessage()).contains("Authorization: Bearer <token>");
                    });
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void givenNoToken_whenIntrospectingOrReadingThroughARootField_thenRefused() {
            // introspection's fields are trivial fetchers like an object's properties; they are still checked
            for (String document : List.of("{ __schema { types { name } } }", "{ __type(name: \"Dataset\") { name } }",
                    "{ datasets(first: 1) { edges { node { name } } } }")) {
                graphQl(null).document(document).execute().errors().satisfy(errors -> {
                    assertThat(errors).as(document).isNotEmpty();
                    assertThat(errors).as(document).extracting(e -> e.getErrorType())
                            .containsOnly(ErrorType.UNAUTHORIZED);
                });
            }
        }

        @Test
        void givenUnknownToken_whenQuerying_thenRefused() {
            graphQl("not-a-real-token-at-all").document("{ me }").execute().errors()
                    .satisfy(errors -> assertThat(errors).extracting(e -> e.getErrorType())
                            .containsExactly(ErrorType.UNAUTHORIZED));
        }

        @Test
        void givenToken_whenAskingWhoIAm_thenThePrincipalOfTheToken() {
            graphQl(AUDITOR_TOKEN).document("{ me }").execute().path("me").entity(String.class)
                    .isEqualTo("user:auditor");
        }

        @Test
        void givenNoToken_whenPredicting_thenHttp401() throws Exception {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(baseUrl() + "/v1/endpoints/any/predict")).header("Content-Type",
                            "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"rows\":[{}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
        }
    }

    @Nested
    class Datasets {

        @Test
        void givenBatchNotMatchingTheSchema_whenIngested_thenRowAndColumnNamedAndNoEventNoObject() {
            registerDataset("refusals-schema");
            long before = storedEvents();
            graphQl(TESTER_TOKEN).document("""
                            mutation { ingestBatch(input: {dataset: "refusals-schema", partition: "p1",
                              csv: "x,y\\n1.5,2\\n2.5,three\\n"}) { batch { batchId } errors { code message field } } }""")
                    .execute()
                    .path("ingestBatch.batch").valueIsNull()
                    .path("ingestBatch.errors[0].code").entity(String.class).isEqualTo("INVALID_INPUT")
                    .path("ingestBatch.errors[0].field").entity(String.class).isEqualTo("csv.y")
                    .path("ingestBatch.errors[0].message").entity(String.class)
                    .isEqualTo("row 2, column 'y': 'three' is not a LONG");
            assertThat(storedEvents()).isEqualTo(before);
            assertThat(objectsUnder("datasets/refusals-schema/")).isZero();
        }

        @Test
        void givenUnknownDataset_whenIngested_thenRefusedAndNoObject() {
            long before = storedEvents();
            graphQl(TESTER_TOKEN).document("""
                            mutation { ingestBatch(input: {dataset: "no-such-dataset", partition: "p1", csv: "x\\n1\\n"}) {
                              errors { code message } } }""")
                    .execute()
                    .path("ingestBatch.errors[0].message").entity(String.class)
                    .isEqualTo("dataset 'no-such-dataset' does not exist");
            assertThat(storedEvents()).isEqualTo(before);
            assertThat(objectsUnder("datasets/no-such-dataset/")).isZero();
        }

        @Test
        void givenExistingDataset_whenRegisteredAgain_thenConflict() {
            registerDataset("refusals-twice");
            long before = storedEvents();
            graphQl(TESTER_TOKEN).document("""
                            mutation { registerDataset(input: {name: "refusals-twice", columns: [{name: "x", type: DOUBLE}]}) {
                              errors { code message } } }""")
                    .execute()
                    .path("registerDataset.errors[0].code").entity(String.class).isEqualTo("CONFLICT")
                    .path("registerDataset.errors[0].message").entity(String.class)
                    .isEqualTo("dataset 'refusals-twice' already exists");
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void givenInvalidName_whenRegistered_thenTheRuleIsExplained() {
            graphQl(TESTER_TOKEN).document("""
                            mutation { registerDataset(input: {name: "Bad Name", columns: [{name: "x", type: DOUBLE}]}) {
                              errors { code message } } }""")
                    .execute()
                    .path("registerDataset.errors[0].message").entity(String.class)
                    .satisfies(m -> assertThat(m).startsWith("dataset name 'Bad Name' is invalid"));
        }
    }

    @Nested
    class Serving {

        @Test
        void givenNoSuchModelVersion_whenDeployed_thenRefusedAndNoEndpoint() {
            long before = storedEvents();
            graphQl(TESTER_TOKEN).document("""
                            mutation { deployModel(input: {endpoint: "refusals-endpoint", model: "ghost", version: 3}) {
                              revision errors { code message } } }""")
                    .execute()
                    .path("deployModel.errors[0].message").entity(String.class)
                    .isEqualTo("model 'ghost' has no version 3");
            assertThat(storedEvents()).isEqualTo(before);
            graphQl(TESTER_TOKEN).document("{ endpoint(name: \"refusals-endpoint\") { name } }").execute()
                    .path("endpoint").valueIsNull();
        }

        @Test
        void givenUnknownEndpoint_whenRolledBack_thenNotFound() {
            graphQl(TESTER_TOKEN).document("""
                            mutation { rollBackEndpoint(input: {endpoint: "nowhere", reason: "test"}) {
                              errors { code message } } }""")
                    .execute()
                    .path("rollBackEndpoint.errors[0].code").entity(String.class).isEqualTo("NOT_FOUND")
                    .path("rollBackEndpoint.errors[0].message").entity(String.class)
                    .isEqualTo("endpoint 'nowhere' does not exist");
        }

        @Test
        void givenBadTimestamp_whenRollingBackAsOf_thenRefusedBeforeRunningWithTheFormatExplained() {
            long before = storedEvents();
            graphQl(TESTER_TOKEN).document("""
                            mutation { rollBackEndpoint(input: {endpoint: "nowhere", reason: "t", asOf: "yesterday"}) {
                              errors { code message } } }""")
                    .execute().errors().satisfy(errors -> {
                        assertThat(errors).singleElement().satisfies(e -> {
                            assertThat(e.getErrorType().toString()).isEqualTo("ValidationError");
                            assertThat(e.getMessage()).contains("'yesterday' is not an ISO-8601 instant such as "
                                    + "2026-11-23T10:15:30Z");
                        });
                    });
            assertThat(storedEvents()).isEqualTo(before);
        }
    }

    @Nested
    class Audit {

        @Test
        void givenForeignCursor_whenPaging_thenBadRequest() {
            graphQl(AUDITOR_TOKEN).document("{ auditEvents(first: 5, after: \"bogus\") { totalCount } }").execute()
                    .errors().satisfy(errors -> {
                        assertThat(errors).extracting(e -> e.getErrorType()).containsExactly(ErrorType.BAD_REQUEST);
                        assertThat(errors.get(0).getMessage())
                                .startsWith("'bogus' is not a cursor of this list");
                    });
        }

        @Test
        void givenEvents_whenPaging_thenPagesFollowEachOtherWithoutOverlap() {
            registerDataset("refusals-paging-a");
            registerDataset("refusals-paging-b");
            String query = """
                    { auditEvents(filter: {eventType: "annals.DatasetRegistered"}, first: 1) {
                      edges { node { eventId } } pageInfo { hasNextPage endCursor } } }""";
            // the audit index trails the event store by a moment
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> graphQl(AUDITOR_TOKEN).document(query)
                    .execute().path("auditEvents.pageInfo").entity(Map.class)
                    .satisfies(page -> assertThat(page.get("hasNextPage")).isEqualTo(true)));
            var first = graphQl(AUDITOR_TOKEN).document(query).execute();
            String cursor = first.path("auditEvents.pageInfo.endCursor").entity(String.class).get();
            String firstId = first.path("auditEvents.edges[0].node.eventId").entity(String.class).get();
            graphQl(AUDITOR_TOKEN).document("""
                            query($after: String) { auditEvents(filter: {eventType: "annals.DatasetRegistered"},
                              first: 1, after: $after) { edges { node { eventId type } } } }""")
                    .variable("after", cursor).execute()
                    .path("auditEvents.edges[0].node.type").entity(String.class).isEqualTo("annals.DatasetRegistered")
                    .path("auditEvents.edges[0].node.eventId").entity(String.class)
                    .satisfies(id -> assertThat(id).isNotEqualTo(firstId));
        }
    }
}
