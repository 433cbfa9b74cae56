package io.annals.command.api.endpoint;

import java.time.Instant;

/**
 * Every window of one shadow version compared with one answering version, summed up: rows, row-weighted means, and
 * the latest window. Each window is also an event of its own ({@code annals.ShadowComparisonRecorded}).
 */
public record ShadowSummary(String model, int version, String answeredByModel, int answeredByVersion, int windows,
                            long rows, Double agreement, double meanAbsoluteDifference, double meanShadowScore,
                            double meanAnsweredScore, Instant firstWindowEnd, ShadowComparison latest) {

    /** The summary of one window. */
    public static ShadowSummary of(ShadowComparison window) {
        return new ShadowSummary(window.model(), window.version(), window.answeredByModel(),
                window.answeredByVersion(), 1, window.rows(), window.agreement(), window.meanAbsoluteDifference(),
                window.meanShadowScore(), window.meanAnsweredScore(), window.windowEnd(), window);
    }

    /** Whether a window compares the same two versions. */
    public boolean covers(ShadowComparison window) {
        return model.equals(window.model()) && version == window.version()
                && answeredByModel.equals(window.answeredByModel()) && answeredByVersion == window.answeredByVersion();
    }

    /** This summary with one more window of the same two versions. */
    public ShadowSummary plus(ShadowComparison window) {
        long total = rows + window.rows();
        Double agreed = agreement == null || window.agreement() == null ? null
                : weighted(agreement, rows, window.agreement(), window.rows(), total);
        return new ShadowSummary(model, version, answeredByModel, answeredByVersion, windows + 1, total, agreed,
                weighted(meanAbsoluteDifference, rows, window.meanAbsoluteDifference(), window.rows(), total),
                weighted(meanShadowScore, rows, window.meanShadowScore(), window.rows(), total),
                weighted(meanAnsweredScore, rows, window.meanAnsweredScore(), window.rows(), total),
                firstWindowEnd, window);
    }

    private static double weighted(double a, long aRows, double b, long bRows, long total) {
        return (a * aRows + b * bRows) / total;
    }
}
