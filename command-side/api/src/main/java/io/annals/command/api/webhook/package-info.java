/**
 * Webhooks: where events are POSTed as CloudEvents, signed with the webhook's secret; replays; and every attempt to
 * deliver an event. The URL and the secret travel sealed (encrypted with the platform's key): the log shows only
 * the URL's scheme and host.
 */
package io.annals.command.api.webhook;
