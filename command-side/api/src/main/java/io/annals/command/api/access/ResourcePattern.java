package io.annals.command.api.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The resources a grant applies to: {@code <kind>:<name pattern>} where {@code *} in the name stands for any run of
 * characters ({@code model:fraud-*}, {@code endpoint:prod-*}, {@code dataset:*}), or {@code *} for every resource.
 */
public record ResourcePattern(@JsonValue String value) {

    /** The kinds of resource that permissions act on. */
    public static final Set<String> KINDS = Set.of("dataset", "feature-set", "model", "endpoint", "projection",
            "principal", "run", "training-set");
    public static final ResourcePattern ANY = new ResourcePattern("*");

    public ResourcePattern {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a resource pattern must not be blank: use <kind>:<name pattern> "
                    + "such as model:fraud-* or endpoint:prod-*, or *");
        }
        if (value.length() > 300) {
            throw new IllegalArgumentException("a resource pattern has at most 300 characters");
        }
        if (!value.equals("*")) {
            int colon = value.indexOf(':');
            if (colon <= 0 || colon == value.length() - 1 || !KINDS.contains(value.substring(0, colon))) {
                throw new IllegalArgumentException("resource pattern '" + value + "' is not <kind>:<name pattern> "
                        + "with a kind of " + String.join(", ", KINDS.stream().sorted().toList()));
            }
        }
    }

    @JsonCreator
    public static ResourcePattern of(String value) {
        return new ResourcePattern(value);
    }

    /** The pattern of exactly one resource. */
    public static ResourcePattern resource(String kind, String name) {
        return new ResourcePattern(kind + ":" + name);
    }

    /** Whether a resource ({@code <kind>:<name>}) is one of those this pattern names. */
    public boolean matches(String resource) {
        if (value.equals("*")) {
            return true;
        }
        if (value.indexOf('*') < 0) {
            return value.equals(resource);
        }
        StringBuilder regex = new StringBuilder();
        for (String part : value.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.matches(regex.toString(), resource);
    }

    @Override
    public String toString() {
        return value;
    }
}
