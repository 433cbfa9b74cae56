package io.annals.query.elastic;

import io.annals.command.api.common.DomainException;

/**
 * A read model could not be reached in time (Elasticsearch down, stalled or refusing connections). The API answers
 * it as {@code UNAVAILABLE}, naming the read model; commands are not affected, and a projection that meets it stops
 * at its event and retries.
 */
public final class ReadModelUnavailableException extends DomainException {

    private final String readModel;

    public ReadModelUnavailableException(String readModel, Throwable cause) {
        super(Code.UNAVAILABLE, "read model " + readModel + " is unavailable: " + describe(cause), cause);
        this.readModel = readModel;
    }

    public String readModel() {
        return readModel;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }
}
