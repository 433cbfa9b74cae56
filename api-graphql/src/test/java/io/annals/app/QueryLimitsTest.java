package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.app.demo.GraphQlClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Hostile requests are refused before they cost anything: a typed error naming the limit and its setting, and no
 * data at all, which shows that nothing was executed.
 */
class QueryLimitsTest extends PlatformTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.graphql.execution.GraphQlSource graphQlSource;
    @org.springframework.beans.factory.annotation.Autowired
    java.util.List<graphql.execution.instrumentation.Instrumentation> instrumentations;

    @Test
    void theEngineChainsEveryInstrumentation_withoutTheFieldHooksNoneHas() {
        assertThat(graphQlSource.graphQl().getInstrumentation())
                .isInstanceOfSatisfying(io.annals.app.limits.FieldHookSkippingInstrumentation.class, chain ->
                        assertThat(chain.getInstrumentations()).containsExactlyInAnyOrderElementsOf(instrumentations)
                                .hasAtLeastOneElementOfType(io.annals.app.limits.QueryLimitsInstrumentation.class)
                                .hasAtLeastOneElementOfType(
                                        io.annals.app.security.AuthorizationInstrumentation.class));
    }

    /** POSTs a GraphQL document and returns the status and the whole response. */
    private Map.Entry<Integer, JsonNode> post(String document) throws Exception {
        return post(document, Map.of());
    }

    private Map.Entry<Integer, JsonNode> post(String document, Map<String, Object> variables) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/graphql"))
                .header("Authorization", "Bearer " + TESTER_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", document,
                        "variables", variables))))
                .timeout(Duration.ofSeconds(30)).build();
        long begin = System.nanoTime();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        System.out.printf("%s answered %d in %.1f ms (%d bytes)%n", document.substring(0, Math.min(40,
                document.length())).replace('\n', ' '), response.statusCode(), (System.nanoTime() - begin) / 1e6,
                response.body().length());
        return Map.entry(response.statusCode(), JSON.readTree(response.body()));
    }

    private static void assertRefused(JsonNode response, String limit) {
        assertThat(response.path("data").isMissingNode() || response.path("data").isNull())
                .as("no data: nothing ran").isTrue();
        JsonNode error = response.path("errors").path(0);
        assertThat(error.path("extensions").path("classification").asText()).isEqualTo("QUERY_LIMIT");
        assertThat(error.path("extensions").path("limit").asText()).isEqualTo(limit);
        assertThat(error.path("message").asText()).contains("annals.graphql.limits.");
    }

    private static String aliases(int count, String field) {
        StringBuilder query = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            query.append(" a").append(i).append(": ").append(field);
        }
        return query.append(" }").toString();
    }

    @Nested
    class Queries {

        @Test
        void givenFiveHundredAliasesOfTheAuditLog_whenQueried_thenRefusedAtTheFirstLimitPassed() throws Exception {
            // the request that once made the server build 89 MB in 11 s
            var response = post(aliases(500, "auditEvents(first: 500) { totalCount edges { node { payload } } }"));
            assertThat(response.getKey()).isEqualTo(200);
            assertRefused(response.getValue(), "maxPageItems");
            assertThat(response.getValue().toString().length()).isLessThan(1000);
        }

        @Test
        void givenManyAliasesOfACheapField_whenQueried_thenRefusedByTheAliasLimit() throws Exception {
            assertRefused(post(aliases(31, "me")).getValue(), "maxAliases");
            assertThat(post(aliases(30, "me")).getValue().path("data").path("a29").asText()).isEqualTo("user:tester");
        }

        @Test
        void givenPagesAddingUpPastTheLimit_whenQueried_thenRefusedByThePageItemLimit() throws Exception {
            var response = post(aliases(5, "auditEvents(first: 500) { totalCount }"));
            assertRefused(response.getValue(), "maxPageItems");
            assertThat(response.getValue().path("errors").path(0).path("message").asText())
                    .contains("asks for 2500 list items");
        }

        @Test
        void givenADocumentKeptFromAnEarlierRequest_whenItsVariablesAskForTooMuch_thenRefusedAllTheSame()
                throws Exception {
            // parsed and validated once, then kept: the second request skips validation but not the limits
            String document = "query($n: Int) " + aliases(3, "auditEvents(first: $n) { totalCount }");
            var small = post(document, Map.of("n", 10));
            assertThat(small.getValue().path("errors").isMissingNode()).as(small.getValue().toString()).isTrue();
            assertThat(small.getValue().path("data").path("a0").path("totalCount").isNumber()).isTrue();
            var large = post(document, Map.of("n", 700));
            assertRefused(large.getValue(), "maxPageItems");
            assertThat(large.getValue().path("errors").path(0).path("message").asText()).contains("2100");
        }

        @Test
        void givenDeepNesting_whenQueried_thenRefusedByTheDepthLimit() throws Exception {
            String deep = "{ me " + "{ a ".repeat(20) + "}".repeat(20) + " }";
            assertRefused(post(deep).getValue(), "maxDepth");
        }

        @Test
        void givenFragmentsThatDoubleAtEveryLevel_whenQueried_thenRefusedByTheFieldLimitWithoutExpandingThem()
                throws Exception {
            // F0 spreads F1 twice, F1 spreads F2 twice...: about a million fields once expanded, from 1 KB of text
            StringBuilder document = new StringBuilder("query { ...F0 }\n");
            for (int i = 0; i < 20; i++) {
                document.append("fragment F").append(i).append(" on Query { me ")
                        .append(i < 19 ? "...F" + (i + 1) + " ...F" + (i + 1) : "").append(" }\n");
            }
            assertRefused(post(document.toString()).getValue(), "maxFields");
        }

        @Test
        void givenGraphiQlIntrospection_whenQueried_thenItIsWithinTheLimits() throws Exception {
            var response = post(graphql.introspection.IntrospectionQuery.INTROSPECTION_QUERY);
            assertThat(response.getValue().path("errors").isMissingNode()).as(response.getValue().toString())
                    .isTrue();
            assertThat(response.getValue().path("data").path("__schema").path("types").size()).isGreaterThan(10);
        }

        @Test
        void givenABodyLargerThanTheLimit_whenPosted_thenRefusedWith413BeforeParsing() throws Exception {
            var response = post("{ me } # " + "x".repeat(70_000));
            assertThat(response.getKey()).isEqualTo(413);
            assertRefused(response.getValue(), "maxBodyBytes");
        }
    }

    @Nested
    class Subscriptions {

        @Test
        void givenTooManyAliases_whenSubscribed_thenTheSubscriptionIsRefusedByTheSameLimit() {
            GraphQlClient client = new GraphQlClient(baseUrl(), TESTER_TOKEN);
            String document = "subscription " + aliases(40, "driftAlerts { alertId }");
            try (GraphQlClient.Subscription subscription = client.subscribe(document, Map.of())) {
                assertThatThrownBy(() -> subscription.next(Duration.ofSeconds(10)))
                        .hasMessageContaining("QUERY_LIMIT").hasMessageContaining("maxAliases");
            }
        }
    }
}
