package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.language.FieldDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.annals.app.security.RequestRules;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every query, mutation and subscription of the schema has an access rule; one without would be refused to all. */
class AccessRulesTest {

    static List<String> rootFields(String type) {
        try (var in = AccessRulesTest.class.getResourceAsStream("/graphql/schema.graphqls")) {
            TypeDefinitionRegistry registry = new SchemaParser().parse(new InputStreamReader(in,
                    StandardCharsets.UTF_8));
            return registry.getType(type, ObjectTypeDefinition.class).orElseThrow().getFieldDefinitions().stream()
                    .map(FieldDefinition::getName).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyRootFieldOfTheSchemaHasARule() {
        for (String type : List.of("Query", "Mutation", "Subscription")) {
            List<String> fields = rootFields(type);
            assertThat(fields).as(type).isNotEmpty();
            for (String field : fields) {
                assertThat(RequestRules.graphQl(type + "." + field)).as(type + "." + field + " has an access rule")
                        .isPresent();
            }
        }
    }

    @Test
    void restRoutesNameTheirResource() {
        assertThat(RequestRules.rest("POST", "/v1/endpoints/prod-eu/predict")).hasValueSatisfying(route -> {
            assertThat(route.getKey().permission().id()).isEqualTo("endpoint:predict");
            assertThat(route.getValue()).isEqualTo("endpoint:prod-eu");
        });
        assertThat(RequestRules.rest("POST", "/v1/datasets/loans/batches")).hasValueSatisfying(route ->
                assertThat(route.getValue()).isEqualTo("dataset:loans"));
        assertThat(RequestRules.rest("DELETE", "/v1/datasets/loans/batches")).isEmpty();
        assertThat(RequestRules.rest("GET", "/v1/anything-else")).isEmpty();
    }
}
