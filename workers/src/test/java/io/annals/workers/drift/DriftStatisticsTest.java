package io.annals.workers.drift;

import io.annals.command.api.drift.DriftTest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Each drift test against the value SciPy 1.17 computes for the same fixed inputs ({@code scipy.stats.ks_2samp}'s
 * statistic with {@code kstwobign.sf(√(nm/(n+m))·D)}, {@code wasserstein_distance / np.std},
 * {@code scipy.spatial.distance.jensenshannon}, {@code scipy.stats.chisquare} against reference counts scaled to the
 * current total, and NumPy for PSI), quoted in full.
 */
class DriftStatisticsTest {

    private static final double[] A = {0.1, 0.4, 0.35, 0.8, 1.2, 1.5, 2.0, 2.2, 0.05, 0.9};
    private static final double[] B = {0.5, 0.9, 1.1, 1.4, 1.6, 2.1, 2.5, 2.7, 3.0, 1.8, 2.2, 0.7};

    /** x_i = (37i mod 200) / 100 for i < 200; y_j = 0.3 + (53j mod 300) / 120 for j < 300. */
    private static double[][] larger() {
        double[] x = new double[200];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 37 % 200) / 100.0;
        }
        double[] y = new double[300];
        for (int j = 0; j < y.length; j++) {
            y[j] = 0.3 + (j * 53 % 300) / 120.0;
        }
        return new double[][] {x, y};
    }

    @Test
    void psiOfSharesAgreesWithTheFormula() {
        assertThat(DriftStatistics.psi(new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {0.4, 0.3, 0.2, 0.1}))
                .isCloseTo(0.9128696382935673, within(1e-12));
        assertThat(DriftStatistics.psi(new double[] {0.5, 0.5, 0}, new double[] {0, 0.5, 0.5}))
                .as("an empty share counts as 0.0001").isCloseTo(8.515489752777954, within(1e-9));
        assertThat(DriftStatistics.psi(new double[] {0.3, 0.7}, new double[] {0.3, 0.7})).isZero();
    }

    @Test
    void kolmogorovSmirnovAgreesWithScipy() {
        DriftStatistics.Result small = DriftStatistics.kolmogorovSmirnov(A, B);
        assertThat(small.statistic()).isCloseTo(0.4, within(1e-12));
        assertThat(small.pValue()).isCloseTo(0.3472743203431365, within(1e-9));
        double[][] xy = larger();
        DriftStatistics.Result large = DriftStatistics.kolmogorovSmirnov(xy[0], xy[1]);
        assertThat(large.statistic()).isCloseTo(0.3233333333333333, within(1e-12));
        assertThat(large.pValue()).isCloseTo(2.5368332134890403e-11, within(1e-15));
        assertThat(DriftStatistics.kolmogorovSmirnov(A, A).pValue()).isEqualTo(1.0);
    }

    @Test
    void kolmogorovsDistributionAgreesWithScipyOnBothSeries() {
        assertThat(DriftStatistics.kolmogorovSurvival(0.3)).isCloseTo(0.9999906941986655, within(1e-12));
        assertThat(DriftStatistics.kolmogorovSurvival(0.5)).isCloseTo(0.9639452436648751, within(1e-12));
        assertThat(DriftStatistics.kolmogorovSurvival(1.0)).isCloseTo(0.26999967167735456, within(1e-12));
        assertThat(DriftStatistics.kolmogorovSurvival(2.0)).isCloseTo(0.0006709252557796953, within(1e-15));
    }

    @Test
    void wassersteinNormedAgreesWithScipy() {
        assertThat(DriftStatistics.wassersteinNormed(A, B)).isCloseTo(1.046599431669237, within(1e-12));
        double[][] xy = larger();
        assertThat(DriftStatistics.wassersteinNormed(xy[0], xy[1])).isCloseTo(0.9540832459509696, within(1e-12));
        assertThat(DriftStatistics.wassersteinNormed(A, A)).isZero();
    }

    @Test
    void jensenShannonAgreesWithScipy() {
        assertThat(DriftStatistics.jensenShannon(new double[] {0.1, 0.2, 0.3, 0.4},
                new double[] {0.25, 0.25, 0.25, 0.25})).isCloseTo(0.16692996572597962, within(1e-12));
        assertThat(DriftStatistics.jensenShannon(new double[] {0.5, 0.5, 0}, new double[] {0, 0.1, 0.9}))
                .isCloseTo(0.7469797975180145, within(1e-12));
        assertThat(DriftStatistics.jensenShannon(new double[] {2, 6}, new double[] {1, 3}))
                .as("weights are normalised").isZero();
    }

    @Test
    void chiSquareAgreesWithScipy() {
        DriftStatistics.Result six = DriftStatistics.chiSquare(new long[] {20, 20, 30, 40, 60, 30},
                new long[] {30, 14, 34, 45, 57, 20});
        assertThat(six.statistic()).isCloseTo(11.441666666666666, within(1e-12));
        assertThat(six.pValue()).isCloseTo(0.04329313031580497, within(1e-12));
        DriftStatistics.Result two = DriftStatistics.chiSquare(new long[] {500, 500}, new long[] {120, 80});
        assertThat(two.statistic()).isCloseTo(8.0, within(1e-12));
        assertThat(two.pValue()).isCloseTo(0.004677734981047276, within(1e-12));
        assertThatThrownBy(() -> DriftStatistics.chiSquare(new long[] {10, 0}, new long[] {5, 5}))
                .hasMessageContaining("no reference count");
    }

    @Test
    void theUpperIncompleteGammaAgreesWithScipyOnBothSides() {
        assertThat(DriftStatistics.upperRegularizedGamma(2.5, 1.75)).isCloseTo(0.6233876277495822, within(1e-13));
        assertThat(DriftStatistics.upperRegularizedGamma(0.5, 0.25)).isCloseTo(0.47950012218695337, within(1e-13));
        assertThat(DriftStatistics.upperRegularizedGamma(5.0, 20.0)).isCloseTo(1.694474393006737e-05,
                within(1e-17));
    }

    @Test
    void givenMismatchedOrEmptyInputs_thenRefused() {
        assertThatThrownBy(() -> DriftStatistics.psi(new double[] {1}, new double[] {0.5, 0.5}))
                .hasMessageContaining("same bins");
        assertThatThrownBy(() -> DriftStatistics.kolmogorovSmirnov(new double[0], A))
                .hasMessageContaining("at least one value");
    }

    @Test
    void proportionsZAgreesWithScipy() {
        DriftStatistics.Result moved = DriftStatistics.proportionsZ(300, 1_000, 80, 200);
        assertThat(moved.statistic()).isCloseTo(-2.7752805777039464, within(1e-12));
        assertThat(moved.pValue()).isCloseTo(0.005515410259392617, within(1e-12));
        DriftStatistics.Result same = DriftStatistics.proportionsZ(50, 100, 48, 100);
        assertThat(same.statistic()).isCloseTo(0.2828992979933358, within(1e-12));
        assertThat(same.pValue()).isCloseTo(0.7772540327312343, within(1e-12));
    }

    @Test
    void givenColumnTypeAndSize_thenTheDefaultIsEvidentlys() {
        assertThat(DriftStatistics.defaultFor(true, 500, 400))
                .isEqualTo(new DriftStatistics.Choice(DriftTest.KOLMOGOROV_SMIRNOV, 0.05));
        assertThat(DriftStatistics.defaultFor(true, 500, 4))
                .isEqualTo(new DriftStatistics.Choice(DriftTest.CHI_SQUARE, 0.05));
        assertThat(DriftStatistics.defaultFor(false, 1_000, 2))
                .isEqualTo(new DriftStatistics.Choice(DriftTest.PROPORTIONS_Z, 0.05));
        assertThat(DriftStatistics.defaultFor(true, 1_001, 400))
                .isEqualTo(new DriftStatistics.Choice(DriftTest.WASSERSTEIN_NORMED, 0.1));
        assertThat(DriftStatistics.defaultFor(false, 50_000, 12))
                .isEqualTo(new DriftStatistics.Choice(DriftTest.JENSEN_SHANNON, 0.1));
    }

    @Test
    void aStatisticalTestDriftsBelowItsThresholdAndADistanceAtOrAboveIt() {
        double statistic = 0.12;
        double pValue = 0.03;
        assertThat(passed(DriftTest.KOLMOGOROV_SMIRNOV, statistic, pValue, 0.05)).isTrue();
        assertThat(passed(DriftTest.KOLMOGOROV_SMIRNOV, statistic, pValue, 0.01)).isFalse();
        assertThat(passed(DriftTest.WASSERSTEIN_NORMED, statistic, Double.NaN, 0.1)).isTrue();
        assertThat(passed(DriftTest.WASSERSTEIN_NORMED, 0.1, Double.NaN, 0.1)).isTrue();
        assertThat(passed(DriftTest.JENSEN_SHANNON, statistic, Double.NaN, 0.2)).isFalse();
    }

    private static boolean passed(DriftTest test, double statistic, double pValue, double threshold) {
        return test.passed(test.decisive(statistic, pValue), threshold);
    }
}
