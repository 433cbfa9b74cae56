package io.annals.workers.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A shadow gets the answering version's rows with its own features, picked by name. */
class ShadowTrafficTest {

    @Test
    void givenTheSameFeatures_thenTheRowsAreSharedAsTheyAre() {
        Object[][] rows = {{1f, "a"}};
        assertThat(ShadowTraffic.reorder(rows, List.of("x", "city"), List.of("x", "city"))).isSameAs(rows);
    }

    @Test
    void givenASubsetInAnotherOrder_thenEachRowHasTheShadowsFeaturesInItsOrder() {
        Object[][] rows = {{1f, "paris", 3f}, {4f, null, 6f}};
        assertThat(ShadowTraffic.reorder(rows, List.of("x", "city", "z"), List.of("z", "x")))
                .isDeepEqualTo(new Object[][] {{3f, 1f}, {6f, 4f}});
    }

    @Test
    void givenAFeatureTheAnsweringVersionIsNotSent_thenRefusedByName() {
        assertThatThrownBy(() -> ShadowTraffic.reorder(new Object[][] {{1f}}, List.of("x"), List.of("x", "y")))
                .hasMessageContaining("feature 'y'");
    }
}
