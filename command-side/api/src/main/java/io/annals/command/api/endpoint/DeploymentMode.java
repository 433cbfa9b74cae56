package io.annals.command.api.endpoint;

/**
 * How a deployed version takes part in an endpoint's traffic: {@code LIVE} answers requests (all of them, or a
 * canary's share); {@code SHADOW} receives a mirrored share of the requests, its scores are logged (marked shadow)
 * and compared with the answering version's, and never returned.
 */
public enum DeploymentMode { LIVE, SHADOW }
