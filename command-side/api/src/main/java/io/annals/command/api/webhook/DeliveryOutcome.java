package io.annals.command.api.webhook;

/**
 * How one attempt ended: {@code DELIVERED} (a 2xx answer), {@code FAILED} (another answer, an error or no answer in
 * time; another attempt follows), or {@code GAVE_UP} (the last attempt failed too; a replay can send it again).
 */
public enum DeliveryOutcome { DELIVERED, FAILED, GAVE_UP }
