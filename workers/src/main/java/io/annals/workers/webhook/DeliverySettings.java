package io.annals.workers.webhook;

import java.time.Duration;

/**
 * How deliveries are tried: attempts per event, the backoff between them (doubling up to {@code maxBackoff}), the time
 * allowed to connect and to answer, and the CloudEvents {@code source}.
 */
public record DeliverySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                               Duration connectTimeout, Duration timeout, String source) {
}
