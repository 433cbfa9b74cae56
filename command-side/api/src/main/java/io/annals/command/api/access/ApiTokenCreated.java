package io.annals.command.api.access;

import io.annals.command.api.common.Actor;
import java.time.Instant;

/** {@code secretSha256}: the SHA-256 of the whole token, hex; the token itself exists only with its holder. */
public record ApiTokenCreated(Actor principal, ApiTokenId tokenId, String name, String secretSha256,
                              Instant expiresAt) {
}
