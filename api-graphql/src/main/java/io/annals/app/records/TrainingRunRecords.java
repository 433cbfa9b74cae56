package io.annals.app.records;

import io.annals.command.api.common.StreamId;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.api.trainingrun.TrainingRunRequested;
import java.util.Optional;

/**
 * A run's request as recorded: the first event of its stream, read from the event store itself, so that a rerun
 * repeats exactly what was asked (never a projection of it) and is possible as soon as the run exists.
 */
public final class TrainingRunRecords {

    private final CommandRecords records;

    public TrainingRunRecords(CommandRecords records) {
        this.records = records;
    }

    public Optional<TrainingRunRequested> request(TrainingRunId runId) {
        return records.first(StreamId.of(runId)).map(CommandRecords.StoredEvent::payload)
                .filter(TrainingRunRequested.class::isInstance).map(TrainingRunRequested.class::cast);
    }
}
