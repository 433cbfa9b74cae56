package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console is served by the platform, works offline and keeps its deep links: every path under /ui answers with
 * the console's page, and every script and style it loads (and each module those import) comes from this server.
 */
class ConsolePageTest extends PlatformTestSupport {

    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"");
    private static final Pattern IMPORT = Pattern.compile("(?:import|from)\\s+'([^']+)'");
    private static final Pattern EXTERNAL = Pattern.compile("(?:https?:)?//[a-z0-9.-]+\\.[a-z]{2,}", Pattern.CASE_INSENSITIVE);
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void givenAnyConsoleDeepLink_whenItIsOpened_thenThePageIsServedWithAPolicyThatLoadsOnlyFromThisServer() throws Exception {
        for (String link : new String[] {"/ui", "/ui/models", "/ui/models/fraud", "/ui/runs/3f9a", "/ui/lineage/fraud/2",
                "/ui/endpoints/prod-eu", "/ui/alerts", "/ui/alerts/prod~fraud~v2%231", "/ui/audit?actor=user:alice"}) {
            HttpResponse<String> page = get(link);
            assertThat(page.statusCode()).as(link).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).as(link).hasValueSatisfying(t ->
                    assertThat(t).startsWith("text/html"));
            assertThat(page.headers().firstValue("Content-Security-Policy")).as(link).hasValueSatisfying(csp ->
                    assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'"));
            assertThat(page.body()).as(link).contains("/console/js/app.js");
        }
        HttpResponse<String> home = get("/");
        assertThat(home.statusCode()).isEqualTo(302);
        assertThat(home.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/ui/models"));
        // the API keeps its paths
        assertThat(get("/graphiql").body()).contains("graphiql.min.js");
    }

    @Test
    void givenTheConsolePage_whenEveryAssetAndModuleItLoadsIsFetched_thenEachComesFromThisServerAndNoneReachesOut()
            throws Exception {
        String page = get("/ui/models").body();
        Deque<String> pending = new ArrayDeque<>();
        Matcher assets = ASSET.matcher(page);
        while (assets.find()) {
            pending.add(assets.group(1));
        }
        Set<String> fetched = new LinkedHashSet<>();
        while (!pending.isEmpty()) {
            String asset = pending.poll();
            if (!fetched.add(asset)) {
                continue;
            }
            HttpResponse<String> response = get(asset);
            assertThat(response.statusCode()).as(asset).isEqualTo(200);
            String body = response.body();
            // the one absolute URL allowed is the SVG namespace, which is a name, not a request
            assertThat(EXTERNAL.matcher(body.replace("http://www.w3.org/2000/svg", "")).find())
                    .as(asset + " loads nothing from another host").isFalse();
            if (asset.endsWith(".js")) {
                assertThat(response.headers().firstValue("Content-Type")).as(asset).hasValueSatisfying(t ->
                        assertThat(t).contains("javascript"));
                Matcher imports = IMPORT.matcher(body);
                while (imports.find()) {
                    pending.add(URI.create(asset).resolve(imports.group(1)).getPath());
                }
            }
        }
        assertThat(fetched).contains("/console/console.css", "/console/js/app.js", "/console/js/api.js",
                "/console/js/charts.js", "/console/js/pages/lineage.js", "/console/js/pages/alerts.js",
                "/console/js/pages/audit.js", "/console/js/pages/run.js", "/console/js/pages/endpoint.js",
                "/console/js/pages/model.js");
    }
}
