package io.annals.app.security;

import io.annals.command.api.access.ApiTokenId;
import io.annals.command.api.common.Actor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The form of API tokens: {@code annt_<principal>.<token id>.<secret>}, the principal in base64url so that the
 * token leads to its principal's access stream, and a secret of 256 random bits. Only the SHA-256 of the whole
 * token is recorded; the token itself is shown once, to whoever created it.
 */
public final class ApiTokens {

    static final String PREFIX = "annt_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** A presented token's principal and id, before its secret is checked. */
    record Presented(Actor principal, ApiTokenId tokenId, String token) {
    }

    private ApiTokens() {
    }

    public static String newToken(Actor principal, ApiTokenId id) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + B64.encodeToString(principal.value().getBytes(StandardCharsets.UTF_8)) + "." + id.value()
                + "." + B64.encodeToString(secret);
    }

    /** Empty when the text is not in the form of an API token. */
    static Optional<Presented> parse(String token) {
        if (!token.startsWith(PREFIX) || token.length() > 600) {
            return Optional.empty();
        }
        String[] parts = token.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 3 || parts[2].length() != 43) {
            return Optional.empty();
        }
        try {
            Actor principal = Actor.of(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
            return Optional.of(new Presented(principal, ApiTokenId.of(parts[1]), token));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Compares two hex digests in time that does not depend on where they differ. */
    static boolean sameDigest(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
