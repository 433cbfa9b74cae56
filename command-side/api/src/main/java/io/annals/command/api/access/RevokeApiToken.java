package io.annals.command.api.access;

import io.annals.command.api.common.Actor;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Revokes a token at once; refused when the principal has no such token or it is revoked already. */
public record RevokeApiToken(@TargetAggregateIdentifier Actor principal, ApiTokenId tokenId) {
}
