/**
 * How Annals reaches its backends, in one place: the typed settings of Kafka, Elasticsearch and S3
 * ({@code annals.kafka.*}, {@code annals.elasticsearch.*}, {@code annals.s3.*}), the factory of every Kafka client
 * (so none is built with a forgotten timeout), and the JSON of messages that leave the process. It knows no domain
 * type: topic names and payloads come from the callers.
 */
package io.annals.infra.clients;
