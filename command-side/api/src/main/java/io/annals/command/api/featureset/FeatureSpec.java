package io.annals.command.api.featureset;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.annals.command.api.common.Ids;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One feature of a feature set: the output column {@code name}, computed from the source column {@code column} by
 * {@code aggregation} over the rows whose event time {@code t_e} satisfies {@code t - window < t_e <= t}, or every
 * row up to {@code t} when {@code window} is null. The window is kept as ISO-8601 text, in days when it is whole days
 * ({@code P7D}), so that the same definition always reads the same.
 */
public record FeatureSpec(String name, String column, Aggregation aggregation, String window) {

    public FeatureSpec {
        Ids.requireName("feature name", name);
        Ids.requireText("the column of feature '" + name + "'", column);
        Objects.requireNonNull(aggregation, "the aggregation of feature '" + name + "' is required");
        window = window == null || window.isBlank() ? null : normalise(name, window.trim());
    }

    /** The window as a duration; null for all history. */
    @JsonIgnore
    public Duration windowDuration() {
        return window == null ? null : Duration.parse(window);
    }

    private static String normalise(String feature, String text) {
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the window '" + text + "' of feature '" + feature + "' is not an "
                    + "ISO-8601 duration in days, hours, minutes or seconds (P7D, PT1H, PT30M); months and years have "
                    + "no fixed length");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the window '" + text + "' of feature '" + feature
                    + "' must be longer than zero");
        }
        if (duration.compareTo(Duration.ofDays(36_500)) > 0) {
            throw new IllegalArgumentException("the window '" + text + "' of feature '" + feature
                    + "' is longer than 100 years; leave it out for all history");
        }
        long seconds = duration.getSeconds();
        return duration.getNano() == 0 && seconds % 86_400 == 0 ? "P" + seconds / 86_400 + "D" : duration.toString();
    }
}
