package io.annals.command.api.common;

/**
 * A refusal that means something to the person who asked: the input is invalid, the thing does not exist, it
 * conflicts with the current state, a backend the answer needs is unavailable, or the caller may not do it. The
 * API maps each code to its error in one place; any other exception is unexpected and reported as an internal
 * error, never as one of these.
 */
public class DomainException extends RuntimeException {

    public enum Code { INVALID_INPUT, NOT_FOUND, CONFLICT, UNAVAILABLE, FORBIDDEN }

    private final Code code;

    public DomainException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public DomainException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public static DomainException conflict(String message) {
        return new DomainException(Code.CONFLICT, message);
    }

    public static DomainException forbidden(String message) {
        return new DomainException(Code.FORBIDDEN, message);
    }

    public static DomainException notFound(String message) {
        return new DomainException(Code.NOT_FOUND, message);
    }

    /**
     * Whether a failure is a rule of the platform saying no, so that asking again would get the same answer: invalid
     * input or a refusal other than {@code UNAVAILABLE}. A backend that did not answer, or anything unexpected, is not.
     */
    public static boolean isRefusal(Throwable cause) {
        return cause instanceof IllegalArgumentException || cause instanceof DomainException domain
                && domain.code() != Code.UNAVAILABLE;
    }

    public Code code() {
        return code;
    }
}
