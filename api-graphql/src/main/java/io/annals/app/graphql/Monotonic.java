package io.annals.app.graphql;

import io.annals.command.api.common.Positioned;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * Subscriptions never go backwards: a state is passed on only when it is newer (a later log position) than the last
 * one a subscriber got for the same entity. The first state read from a read model and the updates pushed by a
 * projection can arrive in either order, and a projection that retries a batch pushes its states again.
 */
final class Monotonic {

    private Monotonic() {
    }

    static <T extends Positioned> Flux<T> perKey(Flux<T> states, Function<T, String> key) {
        return Flux.defer(() -> {
            Map<String, T> latest = new HashMap<>();
            return states.filter(state -> {
                synchronized (latest) {
                    String k = key.apply(state);
                    if (!state.newerThan(latest.get(k))) {
                        return false;
                    }
                    latest.put(k, state);
                    return true;
                }
            });
        });
    }
}
