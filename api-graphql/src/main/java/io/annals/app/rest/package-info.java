/**
 * The REST routes beside GraphQL that move bytes: the streaming batch upload ({@code POST /v1/datasets/{name}/batches}).
 * Each needs the same bearer token as the rest of the API, checked by the security filter before it runs.
 */
package io.annals.app.rest;
