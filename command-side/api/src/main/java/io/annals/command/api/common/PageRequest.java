package io.annals.command.api.common;

/**
 * How much of a list to read: at most {@code first} items after the item whose cursor is {@code after} (null: from
 * the start).
 */
public record PageRequest(int first, String after) {

    public static final int MAX = 1000;

    public PageRequest {
        if (first < 1 || first > MAX) {
            throw new IllegalArgumentException("first must be between 1 and " + MAX + ", got " + first);
        }
    }

    public static PageRequest first(int n) {
        return new PageRequest(n, null);
    }
}
