package io.annals.command.api.access;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Ids;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records a new API token of a principal by the SHA-256 of its secret (the secret itself is never recorded).
 * {@code expiresAt} is computed by the caller from its clock.
 */
public record CreateApiToken(@TargetAggregateIdentifier Actor principal, ApiTokenId tokenId, String name,
                             String secretSha256, Instant expiresAt) {

    public CreateApiToken {
        AccessRules.requireGrantable(principal, null);
        Ids.requireText("token name", name);
        if (name.length() > 100) {
            throw new IllegalArgumentException("a token name has at most 100 characters");
        }
        if (tokenId == null || expiresAt == null) {
            throw new IllegalArgumentException("a token needs an id and an expiry");
        }
        if (secretSha256 == null || !secretSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a token is recorded by the SHA-256 of its secret (64 hex digits)");
        }
    }
}
