package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.annals.command.api.common.Actor;
import io.annals.workers.port.CommandPort;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

/** A command that lost the race for its stream is sent again; a duplicate creation or a refusal is not. */
class CommandAdaptersTest {

    private final CommandGateway gateway = mock(CommandGateway.class);
    private final CommandPort port = CommandAdapters.port(gateway);

    @Test
    void givenTwoLostRaces_whenSent_thenTheThirdAttemptsAnswerIsReturned() {
        when(gateway.sendAndWait(any(CommandMessage.class)))
                .thenThrow(new ConcurrencyException("appended by another process"))
                .thenThrow(new CommandExecutionException("remote", new ConcurrencyException("again")))
                .thenReturn(7);

        Integer answer = port.send("a command", Actor.user("ana"), null);

        assertThat(answer).isEqualTo(7);
        verify(gateway, times(3)).sendAndWait(any(CommandMessage.class));
    }

    @Test
    void givenRacesLostEveryTime_whenSent_thenTheCallerHearsOfItAfterTheLastAttempt() {
        when(gateway.sendAndWait(any(CommandMessage.class))).thenThrow(new ConcurrencyException("busy"));

        assertThatThrownBy(() -> port.send("a command", Actor.user("ana"), null))
                .isInstanceOf(ConcurrencyException.class);
        verify(gateway, times(CommandAdapters.ATTEMPTS)).sendAndWait(any(CommandMessage.class));
    }

    @Test
    void givenADuplicateCreationOrARefusal_whenSent_thenNotSentAgain() {
        when(gateway.sendAndWait(any(CommandMessage.class)))
                .thenThrow(new AggregateStreamCreationException("exists"));
        assertThatThrownBy(() -> port.send("create", Actor.user("ana"), null))
                .isInstanceOf(AggregateStreamCreationException.class);
        when(gateway.sendAndWait(any(CommandMessage.class))).thenThrow(new IllegalArgumentException("no"));
        assertThatThrownBy(() -> port.send("refused", Actor.user("ana"), null))
                .isInstanceOf(IllegalArgumentException.class);
        verify(gateway, times(2)).sendAndWait(any(CommandMessage.class));
    }
}
