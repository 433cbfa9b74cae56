package io.annals.command.api.model;

public record ModelEvaluationFailed(ModelName model, int version, EvaluationId evaluationId, String reason) {
}
