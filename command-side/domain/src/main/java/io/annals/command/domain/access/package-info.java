/**
 * Who may do what, as a record: the access aggregate of each principal, whose events (roles, permission grants, API
 * tokens) are the only source of access beyond configuration and sign-on claims. Requests are checked against it by
 * the API; the platform's own workers are checked here, by {@code config.ServicePrincipalInterceptor}.
 */
package io.annals.command.domain.access;
