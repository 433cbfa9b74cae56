package io.annals.command.api.access;

/** What a permission grant does; a DENY that matches wins over every ALLOW and every role. */
public enum Effect { ALLOW, DENY }
