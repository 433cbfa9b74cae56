package io.annals.app.rest;

import io.annals.command.api.common.DomainException;
import org.springframework.http.HttpStatus;

/** The HTTP status of each domain failure code, for every REST route. */
final class RestErrors {

    private RestErrors() {
    }

    static HttpStatus status(DomainException.Code code) {
        return switch (code) {
            case INVALID_INPUT -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
        };
    }
}
