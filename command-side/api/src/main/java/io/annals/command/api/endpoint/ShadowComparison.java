package io.annals.command.api.endpoint;

import java.time.Instant;

/**
 * How a shadow version's scores compared with the answering version's over one window of mirrored rows.
 *
 * @param model                  the shadow version's model
 * @param version                the shadow version
 * @param answeredByModel        the model of the version that answered those rows
 * @param answeredByVersion      the version that answered them
 * @param rows                   mirrored rows in the window
 * @param agreement              the share of rows with the same decision: the same side of 0.5 (binary) or the same
 *                               class (multi-class); null for regression
 * @param meanAbsoluteDifference mean of |shadow score − answered score|
 * @param meanShadowScore        mean of the shadow's scores
 * @param meanAnsweredScore      mean of the answered scores
 * @param windowEnd              when the last row of the window was scored
 */
public record ShadowComparison(String model, int version, String answeredByModel, int answeredByVersion, int rows,
                               Double agreement, double meanAbsoluteDifference, double meanShadowScore,
                               double meanAnsweredScore, Instant windowEnd) {
}
