package io.annals.workers.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.annals.command.api.common.FeatureProfile;
import io.annals.command.api.common.InputProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reference profiles of known rows, against values NumPy gives for the same inputs. */
class InputProfilesTest {

    /** Rows i = 1..100: amount = i, flag = i % 2, channel = web for a quarter, app for the rest, empty every tenth. */
    private static InputProfile profile() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            rows.add(new Object[] {(float) i, (float) (i % 2), i % 10 == 0 ? null : i % 4 == 0 ? "web" : "app"});
        }
        return InputProfiles.of(List.of("amount", "flag", "channel"), List.of(true, true, false), rows);
    }

    @Test
    void aNumericFeatureHasItsSummaryPercentilesAndDecileBins() {
        FeatureProfile amount = profile().feature("amount");
        assertThat(amount.kind()).isEqualTo(FeatureProfile.Kind.NUMERIC);
        assertThat(amount.count()).isEqualTo(100);
        assertThat(amount.missing()).isZero();
        assertThat(amount.mean()).isCloseTo(50.5, within(1e-9));
        assertThat(amount.std()).as("np.std(range(1, 101))").isCloseTo(28.86607004772212, within(1e-9));
        assertThat(amount.min()).isEqualTo(1.0);
        assertThat(amount.max()).isEqualTo(100.0);
        assertThat(amount.quantiles()).hasSize(101);
        assertThat(amount.quantiles().get(25)).as("np.percentile(range(1, 101), 25)").isCloseTo(25.75, within(1e-9));
        assertThat(amount.quantiles().get(50)).isCloseTo(50.5, within(1e-9));
        assertThat(amount.binEdges()).containsExactly(11.0, 21.0, 31.0, 41.0, 51.0, 61.0, 71.0, 81.0, 91.0);
        assertThat(amount.fractions()).allSatisfy(f -> assertThat(f).isCloseTo(0.1, within(1e-12)));
        assertThat(amount.categories()).as("more than five values: not read as categories").isNull();
        assertThat(amount.readAsCategories()).isFalse();
    }

    @Test
    void aNumericFeatureOfFewValuesIsAlsoCountedByValue() {
        FeatureProfile flag = profile().feature("flag");
        assertThat(flag.distinct()).isEqualTo(2);
        assertThat(flag.categories()).isEqualTo(Map.of("0", 50L, "1", 50L));
        assertThat(flag.readAsCategories()).isTrue();
    }

    @Test
    void aCategoricalFeatureHasItsFrequenciesAndItsEmptyValues() {
        FeatureProfile channel = profile().feature("channel");
        assertThat(channel.kind()).isEqualTo(FeatureProfile.Kind.CATEGORICAL);
        assertThat(channel.missing()).isEqualTo(10);
        assertThat(channel.count()).isEqualTo(90);
        // multiples of 4 that are not multiples of 10: 25 - 5 = 20
        assertThat(channel.categories()).isEqualTo(Map.of("web", 20L, "app", 70L));
    }

    @Test
    void theReferenceSampleFollowsThePercentiles() {
        double[] sample = InputProfiles.sample(profile().feature("amount").quantiles(), 1_000);
        assertThat(sample).hasSize(1_000);
        assertThat(sample[0]).isCloseTo(1.0495, within(1e-9));
        assertThat(sample[999]).isCloseTo(99.9505, within(1e-9));
        assertThat(sample[500]).isCloseTo(50.5495, within(1e-9));
    }
}
