package io.annals.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * A subscriber that closes its WebSocket as soon as it has what it wanted is not an error. Spring for GraphQL
 * 2.0.6 (WebMVC) logs one at ERROR with a stack trace ("Closing session due to exception") when the closing races
 * with the end of the subscription, in one of three ways seen here: the completion reaches the session's scheduler
 * after the close disposed it ("Scheduler unavailable"; the race of spring-graphql#1501 on another path), the last
 * message meets Tomcat's closed session (fixed upstream by spring-graphql#1517, not yet released), or the sending
 * thread is interrupted by that disposal in the middle of a blocking send. Any I/O failure while sending to a client
 * is the client's connection going away, not a fault of the server. This filter turns exactly those cases into a
 * DEBUG line and lets every other error of the handler through.
 */
@Component
class ClientClosedLogFilter extends TurboFilter implements InitializingBean {

    private static final String HANDLER = "org.springframework.graphql.server.webmvc.GraphQlWebSocketHandler";
    private static final org.slf4j.Logger log = LoggerFactory.getLogger(ClientClosedLogFilter.class);

    @Override
    public void afterPropertiesSet() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.addTurboFilter(this);
            start();
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (level == Level.ERROR && HANDLER.equals(logger.getName()) && closedByClient(t)) {
            log.debug("A subscriber closed its connection while its subscription was ending: {}", format);
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }

    static boolean closedByClient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RejectedExecutionException && "Scheduler unavailable".equals(c.getMessage())) {
                return true;
            }
            if (c instanceof IOException) {
                return true;
            }
            if (c instanceof IllegalStateException && c.getMessage() != null
                    && c.getMessage().startsWith("Message will not be sent because the WebSocket session has been "
                    + "closed")) {
                return true;
            }
        }
        return false;
    }
}
