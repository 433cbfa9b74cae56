/**
 * Metrics of the platform itself for {@code /actuator/prometheus}: how far behind the event store each event
 * processor is (the projections, the Kafka publisher, the policies). The serving, training and drift roles register
 * their own meters where they do the work.
 */
package io.annals.app.metrics;
