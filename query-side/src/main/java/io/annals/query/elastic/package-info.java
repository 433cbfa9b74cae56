/**
 * The Elasticsearch adapter every projection shares, and the rules that keep read models trustworthy.
 *
 * <p>Design notes. Each projection is a tracking processor that stops at an event it cannot apply (Elasticsearch
 * down, stalled or refusing a document): the processor shows the error and its position in GraphQL
 * {@code projections}, and retries with a growing pause until the event goes through, so no event is ever skipped.
 * A retry applies the events of the failed batch again, and a consumer may get an event twice, so every document
 * records the log position of the last event applied to it ({@link io.annals.query.elastic.Positions}); an event
 * at or before that position changes nothing and is not pushed to subscribers again. The audit index keys each
 * document by event id, which makes it idempotent by construction. Every call has a connect and a request timeout;
 * a query that cannot reach its read model fails with {@link io.annals.query.elastic.ReadModelUnavailableException},
 * which the API answers as {@code UNAVAILABLE}.
 */
package io.annals.query.elastic;
