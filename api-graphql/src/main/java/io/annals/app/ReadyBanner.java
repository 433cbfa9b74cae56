package io.annals.app;

import io.annals.app.security.Authenticator;
import io.annals.infra.clients.AnnalsRoles;
import io.annals.workers.serving.DataPlaneServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Says, once, where the platform answers and how to authenticate. */
@Component
class ReadyBanner {

    private static final Logger log = LoggerFactory.getLogger(ReadyBanner.class);

    private final Authenticator tokens;
    private final ObjectProvider<DataPlaneServer> dataPlane;

    ReadyBanner(Authenticator tokens, ObjectProvider<DataPlaneServer> dataPlane) {
        this.tokens = tokens;
        this.dataPlane = dataPlane;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready(ApplicationReadyEvent event) {
        Environment env = event.getApplicationContext().getEnvironment();
        String base = "http://" + env.getProperty("server.address", "127.0.0.1") + ":"
                + env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        StringBuilder text = new StringBuilder()
                .append("\n  Annals is ready (roles: ").append(env.getProperty("annals.roles", "all")).append(")");
        if (AnnalsRoles.runs(env, "api")) {
            text.append("\n    Console    ").append(base).append("/ui  (sign in with an API token)")
                    .append("\n    GraphQL    ").append(base).append("/graphql  (subscriptions: ws on the same path)")
                    .append("\n    GraphiQL   ").append(base).append("/graphiql")
                    .append("\n    Upload     POST ").append(base).append("/v1/datasets/{name}/batches?partition=…");
        }
        if (AnnalsRoles.runs(env, "serving-worker")) {
            text.append("\n    Predict    POST ").append(base).append("/v1/endpoints/{name}/predict  (and /v2)");
            dataPlane.ifAvailable(plane -> text.append("\n    Data plane POST ").append(plane.url())
                    .append("/v1/endpoints/{name}/predict  (and /v2: the same routes, a thread per connection)"));
        }
        text.append("\n    Health     ").append(base).append("/actuator/health");
        boolean api = AnnalsRoles.runs(env, "api");
        tokens.generatedAdminToken().ifPresent(token -> {
            text.append("\n    Token      Authorization: Bearer ").append(token).append("   (principal 'admin')");
            if (api) {
                text.append("\n    Demo       java -cp api-graphql/target/annals-api-graphql-0.1.0-SNAPSHOT.jar")
                        .append(" -Dloader.main=io.annals.app.demo.AnnalsDemo")
                        .append(" org.springframework.boot.loader.launch.PropertiesLauncher --url ").append(base)
                        .append(" --token ").append(token);
            }
        });
        log.info(text.toString());
    }
}
