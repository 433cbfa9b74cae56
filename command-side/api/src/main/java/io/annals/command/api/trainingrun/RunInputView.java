package io.annals.command.api.trainingrun;

/** A batch a run reads, with the digest it is verified against. */
public record RunInputView(String dataset, String batchId, String location, String sha256, long rows) {

    public static RunInputView of(BatchInput input) {
        return new RunInputView(input.batch().dataset().value(), input.batch().batchId().value(), input.location(),
                input.sha256(), input.rows());
    }
}
