package io.annals.workers.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingKeyTest {

    @Test
    void aKeyAlwaysFallsInTheSameBucket_andKeysSpreadEvenly() {
        assertThat(ServingRegistry.Live.bucket("customer-42")).isEqualTo(ServingRegistry.Live.bucket("customer-42"));
        Map<Integer, Integer> perDecile = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            perDecile.merge(ServingRegistry.Live.bucket("user-" + i) / 10, 1, Integer::sum);
        }
        // 1,000 keys expected per tenth; a tenth outside 850..1150 is about five standard deviations off
        assertThat(perDecile).hasSize(10).allSatisfy((decile, keys) -> assertThat(keys).isBetween(850, 1150));
    }
}
