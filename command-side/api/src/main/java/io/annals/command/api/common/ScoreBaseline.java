package io.annals.command.api.common;

import java.util.List;

/**
 * The distribution of a model's validation scores, the reference that live scores are compared with. The
 * {@code binEdges} are the inner edges of the bins (n edges make n + 1 bins), {@code fractions} the share of
 * validation scores in each bin.
 */
public record ScoreBaseline(List<Double> binEdges, List<Double> fractions, long sampleCount) {

    public ScoreBaseline {
        if (fractions.size() != binEdges.size() + 1) {
            throw new IllegalArgumentException("a baseline with " + binEdges.size() + " edges needs "
                    + (binEdges.size() + 1) + " fractions, got " + fractions.size());
        }
        binEdges = List.copyOf(binEdges);
        fractions = List.copyOf(fractions);
    }
}
