package io.annals.workers.ingest;

/** A batch that does not match its dataset's schema; the message names the row and column. */
public final class InvalidBatchException extends RuntimeException {

    private final long row;
    private final String column;

    public InvalidBatchException(long row, String column, String message) {
        super(message);
        this.row = row;
        this.column = column;
    }

    /** The 1-based data row (the header is row 0), or 0 for a problem with the header. */
    public long row() {
        return row;
    }

    public String column() {
        return column;
    }
}
