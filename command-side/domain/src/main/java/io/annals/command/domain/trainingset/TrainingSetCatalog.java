package io.annals.command.domain.trainingset;

import io.annals.command.api.trainingset.TrainingSetId;
import io.annals.command.api.trainingset.TrainingSetOutput;
import io.annals.command.api.trainingset.TrainingSetRef;
import io.annals.command.api.trainingset.TrainingSetStatus;
import java.util.Optional;

/** Training sets as the command side knows them now. */
public interface TrainingSetCatalog {

    /** A completed training set: which one it is, and the batch it became. */
    record Completed(TrainingSetRef ref, TrainingSetOutput output) {
    }

    /** Empty for an unknown training set. */
    Optional<TrainingSetStatus> status(TrainingSetId id);

    /** Empty unless the training set is completed. */
    Optional<Completed> completed(TrainingSetId id);
}
