package io.annals.app.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.app.graphql.Mutations.UserError;
import io.annals.command.api.common.DomainException;
import io.annals.query.elastic.ReadModelUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.Test;

/** The one mapping from failures to the API's error codes. */
class MutationsTest {

    private record Payload(String made, List<UserError> errors) {
    }

    private static Payload run(RuntimeException failure) {
        return Mutations.run("no such thing", "exists already", () -> {
            throw failure;
        }, errors -> new Payload(null, errors));
    }

    @Test
    void givenDomainFailures_thenEachBecomesItsCode() {
        assertThat(run(DomainException.conflict("busy")).errors()).containsExactly(
                new UserError("CONFLICT", "busy", null));
        assertThat(run(new IllegalArgumentException("bad name")).errors()).containsExactly(
                new UserError("INVALID_INPUT", "bad name", null));
        assertThat(run(new AggregateNotFoundException("endpoint:x", "gone")).errors()).containsExactly(
                new UserError("NOT_FOUND", "no such thing", null));
        assertThat(run(new CommandExecutionException("wrapped", DomainException.notFound("no run 7"))).errors())
                .containsExactly(new UserError("NOT_FOUND", "no run 7", null));
        assertThat(run(new ReadModelUnavailableException("annals-runs-v2", new IOException("timed out"))).errors())
                .singleElement().extracting(UserError::code).isEqualTo("UNAVAILABLE");
    }

    @Test
    void givenAnInfrastructureFailure_thenItIsNotPassedOffAsAnExpectedError() {
        assertThatThrownBy(() -> run(new IllegalStateException("S3 said 500")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> run(new UncheckedIOException(new IOException("connection reset"))))
                .isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void givenSuccess_thenThePayloadHasNoErrors() {
        Payload made = Mutations.run("x", "y", () -> new Payload("dataset", List.of()), e -> new Payload(null, e));
        assertThat(made).isEqualTo(new Payload("dataset", List.of()));
    }
}
