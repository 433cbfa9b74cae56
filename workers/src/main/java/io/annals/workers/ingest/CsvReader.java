package io.annals.workers.ingest;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV (RFC 4180: comma separated, double-quoted fields with "" as an escaped quote) one record at a time, so
 * a file of any size is read in constant memory.
 */
public final class CsvReader {

    private final Reader in;
    private long record;
    private int pushedBack = -2;

    public CsvReader(Reader in) {
        this.in = in;
    }

    /** The 1-based number of the record last returned; the header is record 1. */
    public long recordNumber() {
        return record;
    }

    /** The next record's fields, or null at the end of input. */
    public List<String> next() throws IOException {
        int c = read();
        if (c < 0) {
            return null;
        }
        while (c == '\r' || c == '\n') {
            c = read();
            if (c < 0) {
                return null;
            }
        }
        record++;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (quoted) {
                if (c < 0) {
                    throw new MalformedCsvException("record " + record + " ends inside a quoted field");
                }
                if (c == '"') {
                    int next = read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        c = next;
                        continue;
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r' || c < 0) {
                if (c == '\r') {
                    int next = read();
                    if (next != '\n') {
                        pushedBack = next;
                    }
                }
                fields.add(field.toString());
                return fields;
            } else {
                field.append((char) c);
            }
            c = read();
        }
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        return in.read();
    }

    public static final class MalformedCsvException extends IOException {
        public MalformedCsvException(String message) {
            super(message);
        }
    }
}
