/**
 * The Elasticsearch adapter every projection shares, and the rules that keep read models trustworthy.
 *
 * <p>Design notes. Each projection is a tracking processor that stops at an event it cannot apply (Elasticsearch
 * down, stalled or refusing a document): the processor shows the error and its position in GraphQL
 * {@code projections}, and retries with a growing pause until the event goes through, so no event is ever skipped.
 * A retry applies the events of the failed batch again, and a consumer may get an event twice, so every document
 * records the log position of the last event applied to it ({@link io.annals.command.api.common.Positioned}); an
 * event at or before that position changes nothing and is not pushed to subscribers again. Elasticsearch enforces
 * the same rule on its side: the position is each document's external version, so a write of an older state is
 * refused by the server whoever sends it, which also lets a document made by one event be written without reading it
 * first. All documents a batch of events changes go in one {@code _bulk} request when the batch commits. Every call
 * has a connect and a request timeout; a query that cannot reach its read model fails with
 * {@link io.annals.query.elastic.ReadModelUnavailableException}, which the API answers as {@code UNAVAILABLE}.
 */
package io.annals.query.elastic;
