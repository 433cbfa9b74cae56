package io.annals.query.elastic;

import java.io.Serial;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A read-model document as the query handlers answer it: the JSON fields of the document, in order. A named
 * type rather than a bare map so that query response types can name it.
 */
public final class View extends LinkedHashMap<String, Object> {

    @Serial
    private static final long serialVersionUID = 1L;

    public View() {
    }

    public View(Map<String, Object> fields) {
        super(fields);
    }
}
