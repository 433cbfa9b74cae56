package io.annals.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log event of this JVM while it is open, to check what a person reading the log would see. */
final class LogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    static LogCapture start() {
        return new LogCapture();
    }

    /** Each event that carries a stack trace, as "LEVEL logger: message (exception)". */
    List<String> withStackTraces() {
        synchronized (appender.list) {
            return appender.list.stream().filter(e -> e.getThrowableProxy() != null)
                    .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage() + " ("
                            + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage() + ")")
                    .toList();
        }
    }

    List<ILoggingEvent> events() {
        synchronized (appender.list) {
            return List.copyOf(appender.list);
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
