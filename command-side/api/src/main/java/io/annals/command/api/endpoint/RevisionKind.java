package io.annals.command.api.endpoint;

/** How an endpoint revision came about. */
public enum RevisionKind { DEPLOY, ROLLBACK }
