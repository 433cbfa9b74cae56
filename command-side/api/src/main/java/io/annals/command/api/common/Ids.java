package io.annals.command.api.common;

/** Validation shared by the typed ids of the published language. */
public final class Ids {

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
        if (!isName(value)) {
            throw new IllegalArgumentException(kind + " '" + value
                    + "' is invalid: use lower-case letters, digits, '-' or '_', starting with a letter, at most 63 characters");
        }
        return value;
    }

    /**
     * Whether {@code value} matches {@code [a-z][a-z0-9_-]{0,62}}, checked character by character: names are made
     * for every document a query reads (a model's name for each of a thousand versions), and a regular expression's
     * matcher is an object each time.
     */
    static boolean isName(String value) {
        int length = value.length();
        if (length == 0 || length > 63 || value.charAt(0) < 'a' || value.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    public static String requireText(String kind, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(kind + " must not be blank");
        }
        return value;
    }
}
