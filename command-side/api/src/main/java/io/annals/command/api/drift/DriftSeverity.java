package io.annals.command.api.drift;

/** How far a window drifted: past the threshold ({@code WARNING}) or past the critical threshold. */
public enum DriftSeverity { WARNING, CRITICAL }
