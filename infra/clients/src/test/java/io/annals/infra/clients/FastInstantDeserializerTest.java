package io.annals.infra.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FastInstantDeserializerTest {

    /** Jackson's own reading, which the fast path must agree with. */
    private static final ObjectMapper JACKSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    @Test
    void readsEveryInstantAnnalsWritesAsJacksonDoes() throws Exception {
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(Instant.parse("0001-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            String json = WireJson.mapper().writeValueAsString(instant);
            assertThat(Instants.parseUtc(instant.toString())).as(json).isEqualTo(instant);
            assertThat(WireJson.mapper().readValue(json, Instant.class)).as(json)
                    .isEqualTo(JACKSON.readValue(json, Instant.class));
        }
    }

    @Test
    void leavesEveryOtherFormToJackson() throws Exception {
        for (String text : new String[] {"2026-12-02T09:23:06+01:00", "2026-12-02T09:23:06.5+00:00",
                "2026-12-02T23:59:60Z", "2026-12-02T24:00:00Z", "2026-12-02T09:23:06.Z", "2026-12-02t09:23:06Z",
                "+12026-12-02T09:23:06Z"}) {
            assertThat(Instants.parseUtc(text)).as(text).isNull();
        }
        // ISO-8601's end of day, which Jackson reads as the next midnight
        assertThat(WireJson.mapper().readValue("\"2026-12-02T24:00:00Z\"", Instant.class))
                .isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
        String json = "\"2026-12-02T10:23:06+01:00\"";
        assertThat(WireJson.mapper().readValue(json, Instant.class))
                .isEqualTo(Instant.parse("2026-12-02T09:23:06Z")).isEqualTo(JACKSON.readValue(json, Instant.class));
        assertThat(WireJson.mapper().readValue("1700000000.5", Instant.class))
                .isEqualTo(JACKSON.readValue("1700000000.5", Instant.class));
        assertThat(WireJson.mapper().readValue("null", Instant.class)).isNull();
    }

    @Test
    void refusesWhatIsNotAnInstantLikeJackson() {
        for (String json : new String[] {"\"2026-02-30T00:00:00Z\"", "\"2026-13-01T00:00:00Z\"",
                "\"yesterday\""}) {
            assertThatThrownBy(() -> WireJson.mapper().readValue(json, Instant.class)).as(json)
                    .isInstanceOf(InvalidFormatException.class);
            assertThatThrownBy(() -> JACKSON.readValue(json, Instant.class)).as(json)
                    .isInstanceOf(InvalidFormatException.class);
        }
    }
}
