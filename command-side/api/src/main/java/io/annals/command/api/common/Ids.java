package io.annals.command.api.common;

import java.util.regex.Pattern;

/** Validation shared by the typed ids of the published language. */
public final class Ids {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

    private Ids() {
    }

    /**
     * A name chosen by a person: lower case, starts with a letter, at most 63 characters, so that it is safe
     * in an S3 key, an index id and a URL path.
     */
    public static String requireName(String kind, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(kind + " must not be blank");
        }
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(kind + " '" + value
                    + "' is invalid: use lower-case letters, digits, '-' or '_', starting with a letter, at most 63 characters");
        }
        return value;
    }

    public static String requireText(String kind, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(kind + " must not be blank");
        }
        return value;
    }
}
