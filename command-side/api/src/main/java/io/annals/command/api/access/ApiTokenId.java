package io.annals.command.api.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The public id of an API token: 16 hex digits, shown in lists and named in its revocation. */
public record ApiTokenId(@JsonValue String value) {

    private static final Pattern FORM = Pattern.compile("[0-9a-f]{16}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ApiTokenId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not an API token id (16 hex digits)");
        }
    }

    @JsonCreator
    public static ApiTokenId of(String value) {
        return new ApiTokenId(value);
    }

    public static ApiTokenId random() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return new ApiTokenId(HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}
