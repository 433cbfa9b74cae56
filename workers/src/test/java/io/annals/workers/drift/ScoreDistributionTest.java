package io.annals.workers.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.command.api.common.ScoreBaseline;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoreDistributionTest {

    private static float[] uniform(int n, long seed) {
        Random r = new Random(seed);
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = r.nextFloat();
        }
        return s;
    }

    @Test
    void givenScores_whenBaselined_thenTenBinsOfAboutATenthEach() {
        ScoreBaseline b = ScoreDistribution.baseline(uniform(10_000, 1), 10);
        assertThat(b.binEdges()).hasSize(9);
        assertThat(b.fractions()).allSatisfy(f -> assertThat(f).isBetween(0.09, 0.11));
    }

    @Test
    void givenSameDistribution_whenPsi_thenSmall() {
        ScoreBaseline b = ScoreDistribution.baseline(uniform(10_000, 1), 10);
        double[] live = new double[1000];
        float[] sample = uniform(1000, 2);
        for (int i = 0; i < live.length; i++) {
            live[i] = sample[i];
        }
        assertThat(ScoreDistribution.psi(b, live)).isLessThan(0.05);
    }

    @Test
    void givenShiftedScores_whenPsi_thenAboveTheUsualThreshold() {
        ScoreBaseline b = ScoreDistribution.baseline(uniform(10_000, 1), 10);
        double[] live = new double[1000];
        float[] sample = uniform(1000, 3);
        for (int i = 0; i < live.length; i++) {
            live[i] = 0.7 + 0.3 * sample[i];
        }
        assertThat(ScoreDistribution.psi(b, live)).isGreaterThan(0.2);
    }

    @Test
    void givenEdges_whenBinned_thenLowerEdgeInclusive() {
        List<Double> edges = List.of(0.2, 0.5);
        assertThat(ScoreDistribution.bin(edges, 0.1)).isZero();
        assertThat(ScoreDistribution.bin(edges, 0.2)).isEqualTo(1);
        assertThat(ScoreDistribution.bin(edges, 0.9)).isEqualTo(2);
    }
}
