package io.annals.command.domain.model;

import static io.annals.command.domain.Fixtures.BATCH;
import static io.annals.command.domain.Fixtures.LOANS;
import static io.annals.command.domain.Fixtures.RANKER;
import static io.annals.command.domain.Fixtures.artifact;
import static io.annals.command.domain.Fixtures.baseline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.annals.command.api.model.RegisterModelVersion;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingrun.RecordModelRegistrationFailure;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingRunCompleted;
import io.annals.command.api.trainingrun.TrainingRunId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The policy's decisions, given an event and what the command side answers: no Kafka, no database. */
class ModelRegistrationPolicyTest {

    private static final TrainingRunCompleted COMPLETED = new TrainingRunCompleted(TrainingRunId.of("run-7"), RANKER,
            Task.REGRESSION, List.of(new BatchRef(LOANS, BATCH)), List.of("x1"), "w1", artifact("run-7"),
            Map.of("rmse", 0.3), baseline());

    private final CommandGateway gateway = mock(CommandGateway.class);
    private final List<Object> sent = new ArrayList<>();
    private ModelRegistrationPolicy policy;

    @BeforeEach
    void setUp() {
        policy = new ModelRegistrationPolicy(gateway);
    }

    private void answer(RuntimeException toRegistration) {
        when(gateway.sendAndWait(any())).thenAnswer(call -> {
            Object command = call.getArgument(0);
            sent.add(command);
            if (command instanceof RegisterModelVersion && toRegistration != null) {
                throw toRegistration;
            }
            return command instanceof RegisterModelVersion ? 1 : null;
        });
    }

    @Test
    void givenTheModelAccepts_whenRunCompleted_thenTheVersionIsRegisteredAndNothingElse() {
        answer(null);
        policy.on(COMPLETED);
        assertThat(sent).singleElement().isInstanceOf(RegisterModelVersion.class);
    }

    @Test
    void givenTheModelRefusesForGood_whenRunCompleted_thenTheRefusalIsRecordedOnTheRun() {
        answer(new CommandExecutionException("refused",
                new IllegalArgumentException("model 'ranker' holds BINARY_CLASSIFICATION versions")));
        policy.on(COMPLETED);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).isEqualTo(new RecordModelRegistrationFailure(TrainingRunId.of("run-7"), RANKER,
                "model 'ranker' holds BINARY_CLASSIFICATION versions"));
    }

    @Test
    void givenATransientFailure_whenRunCompleted_thenItIsThrownSoTheProcessorRetriesTheEvent() {
        answer(new ConcurrencyException("the model changed meanwhile"));
        assertThatThrownBy(() -> policy.on(COMPLETED)).isInstanceOf(ConcurrencyException.class);
        assertThat(sent).singleElement().isInstanceOf(RegisterModelVersion.class);
    }

    @Test
    void givenTheEventStoreDown_whenRunCompleted_thenItIsThrownAndNoFailureIsRecorded() {
        answer(new CommandExecutionException("store down", new java.io.UncheckedIOException(
                new java.io.IOException("connection refused"))));
        assertThatThrownBy(() -> policy.on(COMPLETED)).isInstanceOf(CommandExecutionException.class);
        assertThat(sent).noneMatch(c -> c instanceof RecordModelRegistrationFailure);
    }
}
