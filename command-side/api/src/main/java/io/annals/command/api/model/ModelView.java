package io.annals.command.api.model;

import io.annals.command.api.common.Positioned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A model in the registry: its latest version and its aliases (its versions are a list of their own). */
public record ModelView(String name, int latestVersion, List<AliasView> aliases, Instant createdAt,
                        Instant updatedAt, long position) implements Positioned {

    public ModelView {
        aliases = List.copyOf(aliases);
    }

    public ModelView withVersion(int version, Instant at, long position) {
        return new ModelView(name, Math.max(latestVersion, version), aliases, createdAt, at, position);
    }

    public ModelView withAlias(String alias, int version, Instant at, long position) {
        List<AliasView> next = new ArrayList<>(aliases);
        next.removeIf(a -> a.alias().equals(alias));
        next.add(new AliasView(alias, version));
        next.sort(Comparator.comparing(AliasView::alias));
        return new ModelView(name, latestVersion, next, createdAt, at, position);
    }
}
