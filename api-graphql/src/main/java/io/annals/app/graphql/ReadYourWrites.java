package io.annals.app.graphql;

import io.annals.command.api.common.DomainException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A mutation's payload returns what it made, read from the read model. Projections apply events a moment after
 * they are stored, so the read waits, for a bounded time, until the read model shows the change; then the answer is
 * the same one a query would give. Only a payload field that a client asked for waits.
 */
final class ReadYourWrites {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ReadYourWrites() {
    }

    /**
     * @param what describes the change, for the error when it does not show in time
     * @param read reads the entity (empty while it is not there)
     * @param done whether the entity read shows the change
     * @throws DomainException UNAVAILABLE when the read model has not shown the change within {@link #TIMEOUT}
     */
    static <T> T await(String what, Supplier<Optional<T>> read, Predicate<T> done) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long pauseMillis = 5;
        while (true) {
            Optional<T> current;
            try {
                current = read.get();
            } catch (DomainException e) {
                // a read model created a moment ago may not answer yet; that passes, so wait for it like the rest
                if (e.code() != DomainException.Code.UNAVAILABLE || System.nanoTime() > deadline) {
                    throw e;
                }
                current = Optional.empty();
            }
            if (current.isPresent() && done.test(current.get())) {
                return current.get();
            }
            if (System.nanoTime() > deadline) {
                throw new DomainException(DomainException.Code.UNAVAILABLE, what + " was recorded, but the read "
                        + "model has not shown it within " + TIMEOUT.toSeconds() + " s (see `projections`); "
                        + "query it again later");
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DomainException(DomainException.Code.UNAVAILABLE, "interrupted while reading " + what);
            }
            pauseMillis = Math.min(100, pauseMillis * 2);
        }
    }
}
