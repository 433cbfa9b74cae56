package io.annals.app.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.GraphQLContext;
import io.annals.app.PlatformTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.graphql.data.method.annotation.support.AnnotatedControllerConfigurer;

/** The running API binds its controllers' {@code @Argument} parameters through {@link InputBinder}. */
class ControllerConfigurationTest extends PlatformTestSupport {

    @Autowired
    AnnotatedControllerConfigurer configurer;

    @Test
    void theInputsOfTheRunningApiAreBoundByTheirPlans() throws Exception {
        assertThat(configurer).isInstanceOf(ControllerConfiguration.PlannedArgumentsConfigurer.class);
        MethodParameter input = new MethodParameter(DatasetController.class.getDeclaredMethod("registerDataset",
                DatasetController.RegisterDatasetInput.class, GraphQLContext.class), 0);
        input.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
        assertThat(((ControllerConfiguration.PlannedArgumentsConfigurer) configurer).resolverOf(input))
                .isInstanceOf(InputBinder.class);

        graphQl(TESTER_TOKEN).document("""
                        mutation { registerDataset(input: {name: "planned-binding", description: "bound by its plan",
                          columns: [{name: "x", type: DOUBLE}, {name: "y", type: LONG, nullable: true}]}) {
                          dataset { name description schema { name type nullable } } errors { message } } }""")
                .execute()
                .path("registerDataset.errors").entityList(Object.class).hasSize(0)
                .path("registerDataset.dataset.description").entity(String.class).isEqualTo("bound by its plan")
                .path("registerDataset.dataset.schema[1].type").entity(String.class).isEqualTo("LONG")
                .path("registerDataset.dataset.schema[1].nullable").entity(Boolean.class).isEqualTo(true)
                .path("registerDataset.dataset.schema[0].nullable").entity(Boolean.class).isEqualTo(false);
    }
}
