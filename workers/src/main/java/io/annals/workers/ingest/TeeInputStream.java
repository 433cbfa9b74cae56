package io.annals.workers.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies everything read from the stream to an output, so one pass both parses and spools. */
final class TeeInputStream extends FilterInputStream {

    private final OutputStream copy;

    TeeInputStream(InputStream in, OutputStream copy) {
        super(in);
        this.copy = copy;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            copy.write(b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            copy.write(buffer, offset, n);
        }
        return n;
    }
}
