package io.annals.workers.features;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Sorts more records than fit in memory: records are buffered up to {@code maxInMemory}, each full buffer is sorted
 * and written to a run file, and {@link #sorted()} merges the runs (and the last buffer) in one pass. The order is
 * total and stable across runs only as far as the comparator is: give it a tie-breaker. Memory holds at most one
 * buffer plus one record and a 64 KiB read buffer per run.
 */
final class ExternalSorter<T> implements AutoCloseable {

    /** How a record is written to and read from a run file. */
    interface Codec<T> {
        void write(DataOutput out, T value) throws IOException;

        T read(DataInput in) throws IOException;
    }

    private final Path dir;
    private final Codec<T> codec;
    private final Comparator<T> order;
    private final int maxInMemory;
    private final List<Path> runs = new ArrayList<>();
    private final List<DataInputStream> open = new ArrayList<>();
    private List<T> buffer = new ArrayList<>();
    private long count;

    ExternalSorter(Path dir, Codec<T> codec, Comparator<T> order, int maxInMemory) {
        if (maxInMemory < 1) {
            throw new IllegalArgumentException("maxInMemory must be positive");
        }
        this.dir = dir;
        this.codec = codec;
        this.order = order;
        this.maxInMemory = maxInMemory;
    }

    void add(T value) throws IOException {
        buffer.add(value);
        count++;
        if (buffer.size() >= maxInMemory) {
            spill();
        }
    }

    long count() {
        return count;
    }

    private void spill() throws IOException {
        buffer.sort(order);
        Path run = Files.createTempFile(dir, "sort-run-", ".bin");
        runs.add(run);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run),
                1 << 16))) {
            for (T value : buffer) {
                codec.write(out, value);
            }
        }
        buffer = new ArrayList<>();
    }

    /** Every record added, in order; call once, after the last {@link #add}. */
    Iterator<T> sorted() throws IOException {
        buffer.sort(order);
        List<Iterator<T>> sources = new ArrayList<>();
        for (Path run : runs) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
            open.add(in);
            sources.add(new RunIterator(in));
        }
        sources.add(buffer.iterator());
        if (sources.size() == 1) {
            return sources.get(0);
        }
        return new Merge(sources);
    }

    private final class RunIterator implements Iterator<T> {
        private final DataInputStream in;
        private T next;

        RunIterator(DataInputStream in) {
            this.in = in;
            advance();
        }

        private void advance() {
            try {
                next = codec.read(in);
            } catch (EOFException e) {
                next = null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public T next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            T value = next;
            advance();
            return value;
        }
    }

    /** A k-way merge; among equal heads the earlier source comes first, so the merge is stable. */
    private final class Merge implements Iterator<T> {
        private record Head<T>(T value, int source) {
        }

        private final List<Iterator<T>> sources;
        private final PriorityQueue<Head<T>> heads;

        Merge(List<Iterator<T>> sources) {
            this.sources = sources;
            this.heads = new PriorityQueue<>(Comparator.<Head<T>, T>comparing(Head::value, order)
                    .thenComparingInt(Head::source));
            for (int i = 0; i < sources.size(); i++) {
                if (sources.get(i).hasNext()) {
                    heads.add(new Head<>(sources.get(i).next(), i));
                }
            }
        }

        @Override
        public boolean hasNext() {
            return !heads.isEmpty();
        }

        @Override
        public T next() {
            Head<T> head = heads.poll();
            if (head == null) {
                throw new NoSuchElementException();
            }
            Iterator<T> source = sources.get(head.source());
            if (source.hasNext()) {
                heads.add(new Head<>(source.next(), head.source()));
            }
            return head.value();
        }
    }

    @Override
    public void close() throws IOException {
        for (DataInputStream in : open) {
            in.close();
        }
        for (Path run : runs) {
            Files.deleteIfExists(run);
        }
        runs.clear();
        buffer = new ArrayList<>();
    }
}
