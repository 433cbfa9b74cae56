package io.annals.app.limits;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Parsed and validated documents, kept by their text: a client sends the same few documents over and over with other
 * variables, and parsing and validating them again took a sixth of a {@code lineage} query's time. Only documents that
 * passed are kept (a refusal is worked out again, and logged again, each time), at most {@code capacity} of them, the
 * least recently used going first, so that a client sending ever new documents costs memory no more than that.
 * {@link QueryLimitsInstrumentation} measures every execution against the limits, whether its document came from here
 * or not, because a kept document may come back with other variables ({@code first: $n}).
 */
public final class ParsedDocuments implements PreparsedDocumentProvider {

    private final Map<String, PreparsedDocumentEntry> documents;

    public ParsedDocuments(int capacity) {
        this.documents = new LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparsedDocumentEntry> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
            Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        String text = input.getQuery();
        PreparsedDocumentEntry entry;
        synchronized (documents) {
            entry = documents.get(text);
        }
        if (entry == null) {
            entry = parseAndValidate.apply(input);
            if (!entry.hasErrors()) {
                synchronized (documents) {
                    documents.put(text, entry);
                }
            }
        }
        return CompletableFuture.completedFuture(entry);
    }

    int size() {
        synchronized (documents) {
            return documents.size();
        }
    }
}
