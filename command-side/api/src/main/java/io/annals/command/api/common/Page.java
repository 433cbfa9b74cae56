package io.annals.command.api.common;

import java.util.ArrayList;
import java.util.List;

/**
 * One page of a list that grows, for cursor pagination: each item with the opaque cursor that continues after it,
 * whether more follow, and how many match in all.
 */
public record Page<T>(List<Edge<T>> edges, PageInfo pageInfo, long totalCount) {

    public record Edge<T>(String cursor, T node) {
    }

    public record PageInfo(boolean hasNextPage, String endCursor) {
    }

    public Page {
        edges = List.copyOf(edges);
    }

    public static <T> Page<T> of(List<T> nodes, List<String> cursors, boolean hasNextPage, long totalCount) {
        if (nodes.size() != cursors.size()) {
            throw new IllegalArgumentException(nodes.size() + " items with " + cursors.size() + " cursors");
        }
        List<Edge<T>> edges = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            edges.add(new Edge<>(cursors.get(i), nodes.get(i)));
        }
        return new Page<>(edges, new PageInfo(hasNextPage, cursors.isEmpty() ? null : cursors.get(cursors.size() - 1)),
                totalCount);
    }

    public List<T> nodes() {
        return edges.stream().map(Edge::node).toList();
    }
}
