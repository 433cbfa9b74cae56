package io.annals.command.api.drift;

import java.util.List;

/**
 * The distributions behind a drift decision, over the same bins: the reference's shares and the window's.
 *
 * @param bins  a label per bin: {@code [lo, hi)} for a numeric feature or the score, the category otherwise
 * @param edges the inner bin edges of a numeric feature or the score (null for categories)
 */
public record DriftHistogram(List<String> bins, List<Double> edges, List<Double> reference, List<Double> live,
                             long referenceRows, long liveRows) {

    public DriftHistogram {
        bins = List.copyOf(bins);
        edges = edges == null ? null : List.copyOf(edges);
        reference = List.copyOf(reference);
        live = List.copyOf(live);
        if (reference.size() != bins.size() || live.size() != bins.size()) {
            throw new IllegalArgumentException("a histogram of " + bins.size() + " bins needs as many shares, got "
                    + reference.size() + " and " + live.size());
        }
    }
}
