package io.annals.app;

import io.annals.app.demo.AnnalsDemo;
import io.annals.app.demo.GraphQlClient;
import io.annals.app.security.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * With {@code annals.demo.run=true}, runs the lifecycle demo once the platform is ready, as an outside client of
 * its own public API, then leaves the platform running.
 */
@Component
@ConditionalOnProperty(name = "annals.demo.run", havingValue = "true")
class DemoRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoRunner.class);

    private final Authenticator tokens;
    private final Environment env;

    DemoRunner(Authenticator tokens, Environment env) {
        this.tokens = tokens;
        this.env = env;
    }

    @EventListener(ApplicationReadyEvent.class)
    void runDemo() {
        String token = env.getProperty("annals.demo.token", tokens.generatedAdminToken().orElse(""));
        if (token.isEmpty()) {
            log.error("annals.demo.run is set but no token: set annals.demo.token to one of annals.security.tokens");
            return;
        }
        String base = "http://" + env.getProperty("server.address", "127.0.0.1") + ":"
                + env.getProperty("local.server.port");
        Thread demo = new Thread(() -> {
            try {
                new AnnalsDemo(new GraphQlClient(base, token), System.out).run();
                log.info("The platform keeps running: explore it in the console at {}/ui (sign in with the token "
                        + "above) or in GraphiQL at {}/graphiql. Ctrl-C stops it and the embedded stack.", base, base);
            } catch (Exception e) {
                log.error("The demo failed: {}", e.getMessage(), e);
            }
        }, "annals-demo");
        demo.setDaemon(true);
        demo.start();
    }
}
