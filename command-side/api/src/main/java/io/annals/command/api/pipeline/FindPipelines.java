package io.annals.command.api.pipeline;

import io.annals.command.api.common.PageRequest;

/** Pipelines by name; of one model, when given. */
public record FindPipelines(String model, PageRequest page) {
}
