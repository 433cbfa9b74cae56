package io.annals.command.api.featureset;

import io.annals.command.api.common.Positioned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A feature set as the read side knows it: every version, oldest first. */
public record FeatureSetView(String name, List<FeatureSetVersionView> versions, long position)
        implements Positioned {

    public FeatureSetView {
        versions = List.copyOf(versions);
    }

    public FeatureSetView withVersion(FeatureSetVersionView version, long position) {
        List<FeatureSetVersionView> next = new ArrayList<>(versions);
        next.removeIf(v -> v.version() == version.version());
        next.add(version);
        next.sort(Comparator.comparingInt(FeatureSetVersionView::version));
        return new FeatureSetView(name, next, position);
    }

    /** The feature set as it was at {@code asOf}: the versions registered by then; null when there were none. */
    public FeatureSetView asOf(Instant asOf) {
        List<FeatureSetVersionView> then = versions.stream().filter(v -> !v.registeredAt().isAfter(asOf)).toList();
        return then.isEmpty() ? null : new FeatureSetView(name, then, position);
    }

    public FeatureSetVersionView latest() {
        return versions.get(versions.size() - 1);
    }
}
