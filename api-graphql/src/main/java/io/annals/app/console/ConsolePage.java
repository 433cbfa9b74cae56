package io.annals.app.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Serves the console's page for {@code /ui} and every deep link below it, so that a link pasted in a chat opens the
 * page it names; {@code /} leads to the model registry.
 */
@Controller
final class ConsolePage {

    /**
     * Scripts and styles come from this server only, so a script injected through data shown on a page cannot run,
     * and the console cannot be framed by another site. Subscriptions connect back to this host ('self' covers ws:).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final byte[] page;

    ConsolePage() {
        try (InputStream in = new ClassPathResource("static/console/index.html").getInputStream()) {
            page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the console's page is missing from the jar", e);
        }
    }

    @GetMapping("/")
    String home() {
        return "redirect:/ui/models";
    }

    @GetMapping({"/ui", "/ui/", "/ui/**"})
    ResponseEntity<byte[]> page() {
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .body(page);
    }
}
