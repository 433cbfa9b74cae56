package io.annals.command.api.dataset;

import io.annals.command.api.common.Actor;
import java.time.Instant;

/** One re-point of a partition: from which batch to which, who did it, when and why, and where in the log. */
public record RepointView(String partition, String batchId, String replaced, String reason, Instant at, Actor by,
                          long position) {
}
