package io.annals.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PortsTest {

    private final List<ServerSocket> rivals = new ArrayList<>();

    @AfterEach
    void closeRivals() throws IOException {
        for (ServerSocket rival : rivals) {
            rival.close();
        }
    }

    /** Another process binds the port between the moment it was found free and the moment the server binds it. */
    private void takenByRival(int port) {
        try {
            rivals.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void givenAPortTakenBeforeTheServerBindsIt_whenStarting_thenItStartsAgainOnOtherPorts() {
        AtomicInteger attempts = new AtomicInteger();
        List<int[]> tried = new ArrayList<>();

        int[] used = Ports.startOnFreePorts("test server", 2, ports -> {
            tried.add(ports.clone());
            if (attempts.incrementAndGet() == 1) {
                takenByRival(ports[1]);
                throw new IllegalStateException("bind failed: Address already in use");
            }
            return ports;
        });

        assertThat(attempts).hasValue(2);
        assertThat(used).isEqualTo(tried.get(1)).doesNotContain(tried.get(0)[1]);
    }

    @Test
    void givenAFailureThatIsNotAboutPorts_whenStarting_thenItFailsAtOnce() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> Ports.startOnFreePorts("test server", 1, ports -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("the data directory is corrupt");
        })).hasMessage("the data directory is corrupt");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void givenPortsTakenAtEveryAttempt_whenStarting_thenItGivesUpAfterTheLastAttempt() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> Ports.startOnFreePorts("test server", 1, ports -> {
            attempts.incrementAndGet();
            takenByRival(ports[0]);
            throw new IllegalStateException("Address already in use");
        })).hasMessageContaining("Address already in use");
        assertThat(attempts).hasValue(Ports.ATTEMPTS);
    }
}
