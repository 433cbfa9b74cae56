package io.annals.query.elastic;

import io.annals.command.api.common.Positioned;

/**
 * A read model: the alias queries read it through (its index generations sit behind it), the record each document
 * is, and the Elasticsearch mapping of the fields that are searched or sorted on (everything else is kept in the
 * source only).
 */
public record ReadModel<T extends Positioned>(String alias, Class<T> type, String mapping) {
}
