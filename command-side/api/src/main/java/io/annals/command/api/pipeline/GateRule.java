package io.annals.command.api.pipeline;

import io.annals.command.api.common.Ids;
import java.util.Map;
import java.util.Set;

/**
 * One rule of a promotion gate: on the held-out batch, the candidate's {@code metric} must beat the champion's by at
 * least {@code margin} in the better direction (AUC at least the champion's + 0.005: {@code auc, HIGHER, 0.005}; log
 * loss no worse: {@code logLoss, LOWER, 0}). A negative margin tolerates that much loss. Without a champion every
 * rule holds.
 */
public record GateRule(String metric, Better better, double margin) {

    /** Which way a metric improves. */
    public enum Better { HIGHER, LOWER }

    private static final Set<String> LOWER_IS_BETTER = Set.of("logLoss", "rmse", "mae");

    /** The verdict of a rule with the numbers it compared (a null champion value: no champion). */
    public record Check(String metric, Better better, double margin, Double candidate, Double champion,
                        boolean passed) {
    }

    public GateRule {
        Ids.requireText("gate metric", metric);
        better = better != null ? better : LOWER_IS_BETTER.contains(metric) ? Better.LOWER : Better.HIGHER;
        if (Double.isNaN(margin) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("the margin of gate rule '" + metric + "' must be a number");
        }
    }

    public Check check(Map<String, Double> candidate, Map<String, Double> champion) {
        Double mine = candidate.get(metric);
        if (champion == null) {
            return new Check(metric, better, margin, mine, null, true);
        }
        Double theirs = champion.get(metric);
        boolean passed = mine != null && theirs != null && !mine.isNaN() && !theirs.isNaN()
                && (better == Better.HIGHER ? mine >= theirs + margin : mine <= theirs - margin);
        return new Check(metric, better, margin, mine, theirs, passed);
    }
}
