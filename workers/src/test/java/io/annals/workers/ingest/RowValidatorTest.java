package io.annals.workers.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnStatistics;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetSchema;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowValidatorTest {

    private static final DatasetSchema SCHEMA = new DatasetSchema(List.of(
            new ColumnSpec("amount", ColumnType.DOUBLE, false), new ColumnSpec("count", ColumnType.LONG, true),
            new ColumnSpec("flag", ColumnType.BOOLEAN, false), new ColumnSpec("note", ColumnType.STRING, true)));

    private static RowValidator validate(String csv) throws Exception {
        RowValidator v = new RowValidator(SCHEMA);
        CsvReader reader = new CsvReader(new StringReader(csv));
        v.header(reader.next());
        for (List<String> row = reader.next(); row != null; row = reader.next()) {
            v.row(row);
        }
        return v;
    }

    @Test
    void givenValidRows_whenValidated_thenStatisticsPerColumn() throws Exception {
        RowValidator v = validate("amount,count,flag,note\n1.5,2,true,\"a, quoted \"\"note\"\"\"\n2.5,,false,\n");
        assertThat(v.rows()).isEqualTo(2);
        ColumnStatistics amount = v.statistics().get(0);
        assertThat(amount.mean()).isEqualTo(2.0);
        assertThat(amount.min()).isEqualTo(1.5);
        assertThat(amount.max()).isEqualTo(2.5);
        assertThat(amount.stddev()).isCloseTo(Math.sqrt(0.5), within(1e-12));
        assertThat(v.statistics().get(1).nulls()).isEqualTo(1);
        assertThat(v.statistics().get(2).mean()).isEqualTo(0.5);
        assertThat(v.statistics().get(3).mean()).isNull();
    }

    @Test
    void givenWrongType_whenValidated_thenMessageNamesRowAndColumn() {
        assertThatThrownBy(() -> validate("amount,count,flag,note\n1,2,true,x\n1,two,true,x\n"))
                .isInstanceOf(InvalidBatchException.class)
                .hasMessage("row 2, column 'count': 'two' is not a LONG")
                .satisfies(e -> assertThat(((InvalidBatchException) e).row()).isEqualTo(2));
    }

    @Test
    void givenEmptyNonNullable_whenValidated_thenRejected() {
        assertThatThrownBy(() -> validate("amount,count,flag,note\n,2,true,x\n"))
                .hasMessage("row 1, column 'amount': empty, but the column is not nullable");
    }

    @Test
    void givenWrongHeader_whenValidated_thenRejected() {
        assertThatThrownBy(() -> validate("amount,flag,count,note\n"))
                .hasMessageContaining("header [amount, flag, count, note] does not match the schema's columns "
                        + "[amount, count, flag, note]");
    }

    @Test
    void givenShortRow_whenValidated_thenRejected() {
        assertThatThrownBy(() -> validate("amount,count,flag,note\n1,2,true\n"))
                .hasMessage("row 1 has 3 fields, the schema has 4 columns");
    }

    @Test
    void givenNonFiniteDouble_whenValidated_thenRejected() {
        assertThatThrownBy(() -> validate("amount,count,flag,note\nNaN,2,true,x\n"))
                .hasMessage("row 1, column 'amount': 'NaN' is not a DOUBLE");
    }

    @Test
    void givenTimestamps_whenValidated_thenInstantsWithAZoneAreAcceptedAndSpanRecorded() throws Exception {
        RowValidator v = new RowValidator(new DatasetSchema(List.of(new ColumnSpec("at", ColumnType.TIMESTAMP,
                true))));
        v.header(List.of("at"));
        v.row(List.of("2026-03-01T12:00:00Z"));
        v.row(List.of("2026-03-01T13:30:00.5+01:00"));
        v.row(List.of(""));
        ColumnStatistics at = v.statistics().get(0);
        assertThat(at.min()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z").getEpochSecond());
        assertThat(at.max()).isEqualTo(Instant.parse("2026-03-01T12:30:00Z").getEpochSecond() + 0.5);
        assertThat(at.nulls()).isEqualTo(1);
        assertThat(at.mean()).isNull();
    }

    @Test
    void givenTimestampWithoutZone_whenValidated_thenRejectedWithTheExpectedForm() {
        RowValidator v = new RowValidator(new DatasetSchema(List.of(new ColumnSpec("at", ColumnType.TIMESTAMP,
                false))));
        v.header(List.of("at"));
        assertThatThrownBy(() -> v.row(List.of("2026-03-01 12:00:00")))
                .hasMessage("row 1, column 'at': '2026-03-01 12:00:00' is not a TIMESTAMP (an ISO-8601 instant "
                        + "with a zone, such as 2026-03-01T12:00:00Z)");
    }
}
