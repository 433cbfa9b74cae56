package io.annals.workers.storage;

public final class DigestMismatchException extends RuntimeException {

    public DigestMismatchException(String location, String expected, String actual) {
        super("SHA-256 of " + location + " is " + actual + ", expected " + expected
                + "; the object was changed or corrupted and is not used");
    }
}
