package io.annals.workers.serving;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Path variables of the prediction routes, read from what the handler mapping already matched. The routes take
 * their variables and headers from the request instead of {@code @PathVariable} and {@code @RequestHeader}, whose
 * resolution evaluates each annotation's name as an expression through a synchronised cache on every request: JFR
 * showed prediction threads waiting 17-33 ms there behind a descheduled holder.
 */
final class RequestParts {

    private RequestParts() {
    }

    static String pathVariable(HttpServletRequest request, String name) {
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(
                HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String value = variables == null ? null : variables.get(name);
        if (value == null) {
            throw new IllegalStateException("the route has no path variable '" + name + "'");
        }
        return value;
    }
}
