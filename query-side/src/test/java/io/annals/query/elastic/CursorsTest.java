package io.annals.query.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.FieldValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class CursorsTest {

    @Test
    void givenSortValues_whenEncodedAndDecoded_thenTheSameValuesComeBack() {
        List<FieldValue> values = List.of(FieldValue.of(1_764_000_000_000L), FieldValue.of("run-\u00e9/1"),
                FieldValue.of(0.25), FieldValue.of(true));
        String cursor = Cursors.encode("annals-runs-v2:requestedAt-,runId+", values);

        List<FieldValue> decoded = Cursors.decode("annals-runs-v2:requestedAt-,runId+", cursor);

        assertThat(decoded).extracting(FieldValue::_get).containsExactly(1_764_000_000_000L, "run-\u00e9/1", 0.25,
                true);
    }

    @Test
    void givenCursorOfAnotherList_whenDecoded_thenRefusedNamingTheList() {
        String cursor = Cursors.encode("annals-models-v2:name+", List.of(FieldValue.of("m")));

        assertThatThrownBy(() -> Cursors.decode("annals-datasets-v2:name+", cursor))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a cursor of this list (annals-datasets-v2:name+)");
        assertThatThrownBy(() -> Cursors.decode("annals-datasets-v2:name+", "%%%"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
