/**
 * The event store on PostgreSQL, the metadata every event carries, the routing of commands to per-kind streams
 * ({@code dataset:loans}, {@code model:loans}), and what every event processor does when a handler fails.
 *
 * <p>Design notes, one decision per processor. No processor ever skips an event: Axon's default of logging a
 * handler's exception and moving on is replaced by {@code PropagatingErrorHandler} for all of them, so a failing
 * event stops its processor, which shows the error and its position (GraphQL {@code processors}) and retries the
 * event with a growing pause (1 s doubling to 60 s) until it goes through.
 * <ul>
 *   <li>{@code kafka-publisher}: Kafka unreachable stops it at the first unpublished event; its token moves only
 *       after Kafka acknowledged, so the topic gets every stored event at least once, in order per stream.</li>
 *   <li>{@code model-registration} (a policy that sends commands): a refusal by the model's rules is permanent and
 *       is recorded on the run as {@code ModelRegistrationFailed}; anything else is transient and retried by
 *       stopping at the event.</li>
 *   <li>{@code pipeline-triggers} and {@code pipeline-runner} (policies that send commands): a step the platform
 *       refuses for good fails its pipeline run with the reason ({@code PipelineRunFinished}); anything else is
 *       retried by stopping at the event. The runner acts only on what the pipeline's stream says now, so an event
 *       applied again acts once.</li>
 *   <li>every projection into Elasticsearch: Elasticsearch unreachable or a document that cannot be written stops
 *       it at that event; it resumes by itself once Elasticsearch answers. Projections are idempotent, so the
 *       events of a batch that are applied again on a retry change nothing.</li>
 * </ul>
 * This package may touch Axon, Spring and JDBC; aggregates never see it except for the command routing.
 */
package io.annals.command.domain.config;
