/**
 * The webhook dispatcher: it follows the event log for webhooks and their replays, and runs one lane per webhook —
 * a thread with its own Kafka consumer group on {@code annals.events} — that POSTs each matching event as a signed
 * CloudEvent, retries with exponential backoff, and records every attempt through the command port. A slow or dead
 * receiver holds up only its own lane. Framework-free; {@code workers.config.WebhookConfiguration} wires it.
 */
package io.annals.workers.webhook;
