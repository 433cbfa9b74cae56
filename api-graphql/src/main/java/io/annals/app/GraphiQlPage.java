package io.annals.app;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /graphiql} is the platform's own GraphiQL page (static/graphiql), whose assets it serves itself. */
@Controller
class GraphiQlPage {

    @GetMapping({"/graphiql", "/graphiql/"})
    String page() {
        return "forward:/graphiql/index.html";
    }
}
