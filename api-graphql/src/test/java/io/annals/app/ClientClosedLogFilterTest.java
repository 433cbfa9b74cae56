package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;

class ClientClosedLogFilterTest {

    private final ClientClosedLogFilter filter = new ClientClosedLogFilter();
    private final LoggerContext context = new LoggerContext();

    private FilterReply decide(String logger, Level level, Throwable t) {
        Logger target = context.getLogger(logger);
        return filter.decide(null, target, level, "Closing session due to exception for session", null, t);
    }

    @Test
    void givenTheSchedulerOfAClosedSession_whenTheHandlerLogsIt_thenTheErrorIsDropped() {
        assertThat(decide("org.springframework.graphql.server.webmvc.GraphQlWebSocketHandler", Level.ERROR,
                Exceptions.failWithRejected())).isEqualTo(FilterReply.DENY);
    }

    @Test
    void givenTomcatRefusingToSendOnAClosedSession_whenTheHandlerLogsIt_thenTheErrorIsDropped() {
        assertThat(decide("org.springframework.graphql.server.webmvc.GraphQlWebSocketHandler", Level.ERROR,
                new IllegalStateException("Message will not be sent because the WebSocket session has been closed")))
                .isEqualTo(FilterReply.DENY);
    }

    @Test
    void givenASendInterruptedByTheClose_whenTheHandlerLogsIt_thenTheErrorIsDropped() {
        assertThat(decide("org.springframework.graphql.server.webmvc.GraphQlWebSocketHandler", Level.ERROR,
                new java.io.IOException("The current thread was interrupted while waiting for a blocking send to "
                        + "complete"))).isEqualTo(FilterReply.DENY);
    }

    @Test
    void givenAnyOtherError_whenLogged_thenItGoesThrough() {
        assertThat(decide("org.springframework.graphql.server.webmvc.GraphQlWebSocketHandler", Level.ERROR,
                new IllegalStateException("boom"))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide("io.annals.app.Other", Level.ERROR, Exceptions.failWithRejected()))
                .isEqualTo(FilterReply.NEUTRAL);
    }
}
