package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** GraphiQL works on a machine without internet: its page and every asset it loads come from the platform. */
class GraphiQlPageTest extends PlatformTestSupport {

    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void givenThePlatform_whenGraphiQlIsOpened_thenEveryAssetItReferencesIsServedByThePlatform() throws Exception {
        HttpResponse<String> page = get("/graphiql");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("graphiql.min.js");

        List<String> assets = new ArrayList<>();
        Matcher m = ASSET.matcher(page.body());
        while (m.find()) {
            assets.add(m.group(1));
        }
        assertThat(assets).hasSizeGreaterThanOrEqualTo(5).allSatisfy(asset ->
                assertThat(asset).as("served from this host").startsWith("/").doesNotStartWith("//"));
        for (String asset : assets) {
            HttpResponse<String> response = get(asset);
            assertThat(response.statusCode()).as(asset).isEqualTo(200);
            assertThat(response.body()).as(asset + " loads nothing from a CDN").doesNotContain("esm.sh", "unpkg.com",
                    "cdn.jsdelivr.net");
        }
    }
}
