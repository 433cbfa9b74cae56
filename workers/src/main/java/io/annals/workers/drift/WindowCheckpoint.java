package io.annals.workers.drift;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a monitor's open windows start in one partition of {@code annals.scores}, so that a monitor that starts again
 * (or takes the partition over) rebuilds them from the log, counting each score once. It is committed with the
 * consumer's offset as the offset's metadata: the offset is where the oldest open window starts (or the position, if
 * none is open), and the metadata says {@code position} — the records before it were read already — and, per open
 * window, its first record. A record before {@code position} belongs to an open window only if it is at or after
 * that window's first record; every other one before it was counted in a window that closed.
 *
 * @param starts per window key ({@link #key}), the offset of its first record
 */
public record WindowCheckpoint(long position, Map<String, Long> starts) {

    /** Kafka's default {@code offset.metadata.max.bytes}. */
    static final int MAX_METADATA = 4_096;
    private static final String VERSION = "w1";

    public WindowCheckpoint {
        starts = Map.copyOf(starts);
    }

    /** Where a consumer resumes: the first record of the oldest open window, or the position. */
    public long offset() {
        return starts.values().stream().mapToLong(Long::longValue).min().orElse(position);
    }

    /** Whether a record read again after a restart is to be counted in the window of {@code key}. */
    public boolean counts(String key, long offset) {
        if (offset >= position) {
            return true;
        }
        Long start = starts.get(key);
        return start != null && offset >= start;
    }

    /** A compact key of a window: 12 base-36 characters of a digest of its name. */
    public static String key(String window) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(window.getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (digest[i] & 0xFF);
            }
            return Long.toString(bits >>> 2, 36);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The metadata to commit, or null when it would not fit Kafka's default limit. */
    public String encode() {
        StringBuilder out = new StringBuilder(VERSION).append(';').append(Long.toString(position, 36));
        for (Map.Entry<String, Long> start : starts.entrySet()) {
            out.append(';').append(start.getKey()).append('=').append(Long.toString(start.getValue(), 36));
        }
        return out.length() > MAX_METADATA ? null : out.toString();
    }

    /** Reads committed metadata; null when there is none, or it is of another kind. */
    public static WindowCheckpoint decode(String metadata) {
        if (metadata == null || !metadata.startsWith(VERSION + ";")) {
            return null;
        }
        String[] parts = metadata.split(";");
        Map<String, Long> starts = new HashMap<>();
        for (int i = 2; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            starts.put(parts[i].substring(0, eq), Long.parseLong(parts[i].substring(eq + 1), 36));
        }
        return new WindowCheckpoint(Long.parseLong(parts[1], 36), starts);
    }
}
