/**
 * Who is calling and what it may do. {@code Authenticator} turns a bearer token into a {@code Caller} (API tokens
 * checked against their principal's access stream, tokens from configuration, sign-on JWTs); {@code RequestRules}
 * is the one table of the permission each GraphQL field and REST route needs, enforced by
 * {@code AuthorizationInstrumentation} and {@code BearerTokenFilter} before any resolver or controller runs;
 * {@code AccessDirectory} folds each principal's access from the event store. This package may read the event store
 * and its database; it sends no commands (grants and tokens are changed through the GraphQL access resolvers).
 */
package io.annals.app.security;
