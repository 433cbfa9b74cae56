package io.annals.command.api.drift;

/** Where a drift alert is in its life. */
public enum DriftAlertStatus { OPEN, ACKNOWLEDGED, RESOLVED }
