package io.annals.app.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.command.api.common.Positioned;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class MonotonicTest {

    private record State(String id, long position) implements Positioned {
    }

    @Test
    void givenStatesOutOfOrder_whenSubscribed_thenNoOlderOrRepeatedStateIsPassedOn() {
        List<State> seen = Monotonic.perKey(Flux.just(new State("a", 11), new State("a", 10), new State("b", 3),
                        new State("a", 11), new State("a", 12), new State("b", 2), new State("b", 4)), State::id)
                .collectList().block();

        assertThat(seen).extracting(s -> s.id() + "@" + s.position())
                .containsExactly("a@11", "b@3", "a@12", "b@4");
    }
}
