package io.annals.command.api.common;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * Who did something, as recorded on every event: an authenticated person ({@code user:alice}) or a worker of the
 * platform ({@code service:training-worker/host-1}). Built only from an authenticated principal or a worker's own
 * identity, never from request input.
 */
public record Actor(@JsonValue String value) {

    private static final Pattern FORM = Pattern.compile("(user|service):\\S{1,200}");

    public Actor {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("actor '" + value + "' is not user:<principal> or service:<name>");
        }
    }

    @JsonCreator
    public static Actor of(String value) {
        return new Actor(value);
    }

    /** An authenticated principal. */
    public static Actor user(String principal) {
        return new Actor("user:" + principal);
    }

    /** A worker of the platform, such as {@code drift-monitor} or {@code training-worker/<id>}. */
    public static Actor service(String name) {
        return new Actor("service:" + name);
    }

    @Override
    public String toString() {
        return value;
    }
}
