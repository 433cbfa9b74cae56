package io.annals.app.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class MonotonicTest {

    private static Map<String, Object> state(String id, long position) {
        return Map.of("id", id, "position", position);
    }

    @Test
    void givenStatesOutOfOrder_whenSubscribed_thenNoOlderOrRepeatedStateIsPassedOn() {
        List<Map<String, Object>> seen = Monotonic.perKey(Flux.just(state("a", 11), state("a", 10), state("b", 3),
                        state("a", 11), state("a", 12), state("b", 2), state("b", 4)), s -> (String) s.get("id"))
                .collectList().block();

        assertThat(seen).extracting(s -> s.get("id") + "@" + s.get("position"))
                .containsExactly("a@11", "b@3", "a@12", "b@4");
    }
}
