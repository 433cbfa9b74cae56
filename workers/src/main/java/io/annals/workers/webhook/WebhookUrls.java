package io.annals.workers.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** What a webhook URL may be (http or https, with a host, of bounded length), and what of it may be shown. */
public final class WebhookUrls {

    public static final int MAX_LENGTH = 2_048;

    private WebhookUrls() {
    }

    /** The URL, or {@link IllegalArgumentException} naming what is wrong with it. */
    public static URI require(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a webhook URL has 1 to " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("a webhook URL must be http or https, not '"
                    + (uri.getScheme() == null ? "" : uri.getScheme()) + "'");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("a webhook URL needs a host, got '" + url + "'");
        }
        return uri;
    }

    /** Scheme, host and port: what the log and the API show of a URL that often holds a token. */
    public static String display(URI url) {
        return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost()
                + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }
}
