package io.annals.command.domain.trainingrun;

import io.annals.command.api.common.StreamId;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.api.trainingrun.TrainingRunRequested;
import java.util.Optional;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * A run's request as recorded: the first event of its stream, read from the event store itself, so that a rerun
 * repeats exactly what was asked (never a projection of it) and is possible as soon as the run exists.
 */
@Component
public class TrainingRunRecords {

    private final EventStore events;

    TrainingRunRecords(EventStore events) {
        this.events = events;
    }

    public Optional<TrainingRunRequested> request(TrainingRunId runId) {
        DomainEventStream stream = events.readEvents(StreamId.of(runId).toString());
        if (!stream.hasNext()) {
            return Optional.empty();
        }
        DomainEventMessage<?> first = stream.next();
        return first.getPayload() instanceof TrainingRunRequested requested ? Optional.of(requested)
                : Optional.empty();
    }
}
