package io.annals.command.api.featureset;

import io.annals.command.api.common.PageRequest;

/** Feature sets by name, a page at a time. */
public record FindFeatureSets(PageRequest page) {
}
