/**
 * Actuator health with one component per backend (PostgreSQL, Kafka, Elasticsearch, S3), each checked with a
 * short timeout, and the readiness group that needs them all. Health, like every endpoint, needs a bearer token.
 */
package io.annals.app.health;
