/** Webhooks and every attempt to deliver to them, read from the log into Elasticsearch. */
package io.annals.query.webhook;
