/**
 * The GraphQL API: one controller per area (datasets, training, registry and serving, drift and audit, operations)
 * mapping the schema in {@code graphql/schema.graphqls} onto commands (through the command port) and queries
 * (through the query bus, answered with the read-model records of the published language). Mutations turn expected
 * failures into typed payload errors in one place ({@link io.annals.app.graphql.Mutations}); queries and
 * subscriptions turn exceptions into top-level errors in another ({@link io.annals.app.graphql.GraphQlErrors}).
 */
package io.annals.app.graphql;
