package io.annals.workers.serving;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A request row's input values by feature name, as logged with its score: a view over the row (no copy on the request
 * thread; the score log's own thread writes it as JSON). An empty numeric value (NaN) reads as null.
 */
final class RowFeatures extends AbstractMap<String, Object> {

    private final List<String> names;
    private final Object[] row;

    RowFeatures(List<String> names, Object[] row) {
        this.names = names;
        this.row = row;
    }

    private static Object value(Object raw) {
        return raw instanceof Float f && f.isNaN() || raw instanceof Double d && d.isNaN() ? null : raw;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < names.size();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= names.size()) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(names.get(i), value(row[i]));
                    }
                };
            }

            @Override
            public int size() {
                return names.size();
            }
        };
    }

    @Override
    public int size() {
        return names.size();
    }

    @Override
    public Object get(Object key) {
        int i = names.indexOf(key);
        return i < 0 ? null : value(row[i]);
    }
}
