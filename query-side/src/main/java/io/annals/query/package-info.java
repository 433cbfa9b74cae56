/**
 * The read side: projections from the event log into Elasticsearch, and the query handlers that answer from it.
 *
 * <p>The pattern every read model follows (and a new one should too):
 * <ul>
 * <li>Its document is a record of the published language ({@code command-side/api}, such as
 * {@code TrainingRunView}) that implements {@code Positioned}: it carries the log position of the last event applied,
 * and each transition is a method returning the new state at the event's position.</li>
 * <li>A {@code ReadModel} constant names its alias (with a version: {@code annals-runs-v2}), its record and the
 * mapping of the fields that are searched or sorted on.</li>
 * <li>The projection ({@code …Projection}, one processing group) writes only through the {@code ReadModelStore} port
 * ({@code write} for a document an event creates, {@code apply} for a change), which skips an event the document
 * already reflects; its reset handler starts a new generation. It has a unit test on {@code InMemoryReadModels}:
 * given these events, these documents.</li>
 * <li>The query handlers ({@code …Queries}) read through {@code Documents}: one document by id, several in one
 * {@code mget}, or a page of a list with cursor pagination ({@code Page}); nothing is cut short silently.</li>
 * <li>The projection is listed in {@code ProjectionRebuilds} so that operators can rebuild it without downtime. A
 * rebuild replays the log through several lanes at once, split by the projection's sequencing policy, and a lane
 * answers reads of the documents it wrote from memory: so every document must take the events of one sequence only
 * (Axon's default, one per stream, or a policy of the projection's own, as the run projection's by run).</li>
 * </ul>
 */
package io.annals.query;
