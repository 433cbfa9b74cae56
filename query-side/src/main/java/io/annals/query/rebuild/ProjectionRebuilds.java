package io.annals.query.rebuild;

import io.annals.query.audit.AuditProjection;
import io.annals.query.dataset.DatasetProjection;
import io.annals.query.drift.DriftAlertProjection;
import io.annals.query.endpoint.EndpointProjection;
import io.annals.query.model.ModelProjection;
import io.annals.query.trainingrun.TrainingRunProjection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a read model from the event log: stop its processor, reset its token (its reset handler drops its
 * indexes), start it again, and it replays every event. Only projections can be rebuilt; the Kafka publisher and
 * the model-registration policy are not in the list, because replaying them would publish or register again.
 */
public final class ProjectionRebuilds {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilds.class);

    public static final List<String> PROJECTIONS = List.of(AuditProjection.PROCESSING_GROUP,
            DatasetProjection.PROCESSING_GROUP, TrainingRunProjection.PROCESSING_GROUP,
            ModelProjection.PROCESSING_GROUP, EndpointProjection.PROCESSING_GROUP,
            DriftAlertProjection.PROCESSING_GROUP);

    private final EventProcessingConfiguration processing;

    public ProjectionRebuilds(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    public void rebuild(String projection) {
        StreamingEventProcessor processor = processor(projection);
        log.info("Rebuilding projection {}: its indexes are dropped and the whole event log is replayed into it",
                projection);
        processor.shutDown();
        processor.resetTokens();
        processor.start();
    }

    /** Each projection with whether it is replaying, the log position it has reached, and its error if stuck. */
    public List<Map<String, Object>> status() {
        return PROJECTIONS.stream().map(name -> status(name, processor(name))).toList();
    }

    /**
     * The state of any streaming processor: running, replaying, the lowest position its segments have reached,
     * and, while a segment is stopped at an event it cannot handle, that error (it retries by itself).
     */
    public static Map<String, Object> status(String name, StreamingEventProcessor processor) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("name", name);
        status.put("running", processor.isRunning());
        status.put("replaying", processor.isReplaying());
        status.put("position", processor.processingStatus().values().stream()
                .map(EventTrackerStatus::getCurrentPosition)
                .filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong)
                .min().stream().boxed().findFirst().orElse(null));
        status.put("error", processor.processingStatus().values().stream()
                .filter(EventTrackerStatus::isErrorState).map(EventTrackerStatus::getError)
                .filter(Objects::nonNull).map(ProjectionRebuilds::describe).findFirst().orElse(null));
        return status;
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = error.getClass().getSimpleName() + ": " + error.getMessage();
        return root == error ? text : text + " (cause: " + root.getClass().getSimpleName() + ": "
                + root.getMessage() + ")";
    }

    private StreamingEventProcessor processor(String projection) {
        if (!PROJECTIONS.contains(projection)) {
            throw new IllegalArgumentException("'" + projection + "' is not a projection; projections: "
                    + String.join(", ", PROJECTIONS));
        }
        return processing.eventProcessor(projection, StreamingEventProcessor.class).orElseThrow(() ->
                new IllegalStateException("projection " + projection + " does not run in this process"));
    }
}
