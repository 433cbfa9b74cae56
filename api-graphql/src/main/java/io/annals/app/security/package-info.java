/**
 * Who is calling and what it may do. {@code Authenticator} turns a bearer token into a {@code Caller} (API tokens
 * checked against their principal's access stream, tokens from configuration, sign-on JWTs); {@code RequestRules}
 * is the one table of the permission each GraphQL field and REST route needs, enforced by
 * {@code AuthorizationInstrumentation} and {@code BearerTokenFilter} before any resolver or controller runs;
 * {@code AccessDirectory} folds each principal's access from its stream in the event store, read through
 * {@code io.annals.app.records}. This package sends no commands (grants and tokens are changed through the GraphQL
 * access resolvers).
 */
package io.annals.app.security;
