package io.annals.app.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The limits of one GraphQL request ({@code annals.graphql.limits.*}).
 *
 * @param maxDepth     nesting of fields, counted through fragments
 * @param maxFields    field selections in the document, fragments expanded where they are used
 * @param maxAliases   aliased fields; aliases are how one request asks for the same expensive list many times
 * @param maxPageItems the sum of every {@code first} and {@code limit} argument: how many items the request
 *                     may ask for in all
 * @param maxBodyBytes the size of a request body on {@code /graphql}, and of a subscription's WebSocket message
 * @param parsedDocuments how many parsed and validated documents are kept for reuse ({@link ParsedDocuments})
 */
@ConfigurationProperties("annals.graphql.limits")
public record QueryLimits(int maxDepth, int maxFields, int maxAliases, int maxPageItems, int maxBodyBytes,
                          int parsedDocuments) {

    public QueryLimits {
        if (maxDepth < 1 || maxFields < 1 || maxAliases < 0 || maxPageItems < 1 || maxBodyBytes < 1024
                || parsedDocuments < 0) {
            throw new IllegalArgumentException("annals.graphql.limits must be positive (max-body-bytes at least "
                    + "1024): " + maxDepth + ", " + maxFields + ", " + maxAliases + ", " + maxPageItems + ", "
                    + maxBodyBytes + ", " + parsedDocuments);
        }
    }
}
