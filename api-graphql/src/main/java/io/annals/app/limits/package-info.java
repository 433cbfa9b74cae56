/**
 * Bounds on what one request may cost, enforced before any work starts: the size of a GraphQL request body and
 * of a subscription message, and the depth, field count, aliases and page sizes of a GraphQL document. A refused
 * request gets a typed error naming the limit and the setting that raises it. This package knows GraphQL and the
 * servlet API, nothing of the domain.
 */
package io.annals.app.limits;
