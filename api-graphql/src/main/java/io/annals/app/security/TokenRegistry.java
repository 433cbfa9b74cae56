package io.annals.app.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps bearer tokens to principals ({@code annals.security.tokens.<principal>=<token>}). When none are configured,
 * one token for the principal {@code admin} is generated, kept (owner-readable only) in the data directory so it
 * survives restarts, and printed once at start.
 */
public final class TokenRegistry {

    private static final Logger log = LoggerFactory.getLogger(TokenRegistry.class);

    private final Map<String, String> principalByToken = new LinkedHashMap<>();
    private final String generatedAdminToken;

    public TokenRegistry(Map<String, String> tokenByPrincipal, Path generatedTokenFile) {
        tokenByPrincipal.forEach((principal, token) -> {
            if (token == null || token.length() < 16) {
                throw new IllegalArgumentException("the token of principal '" + principal
                        + "' must be at least 16 characters");
            }
            principalByToken.put(token, principal);
        });
        if (principalByToken.isEmpty()) {
            generatedAdminToken = loadOrCreate(generatedTokenFile);
            principalByToken.put(generatedAdminToken, "admin");
        } else {
            generatedAdminToken = null;
        }
    }

    private static String loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            String token = "annals_" + HexFormat.of().formatHex(bytes);
            Files.writeString(file, token);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            log.info("Generated an API token for principal 'admin' in {}", file);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the generated API token in " + file, e);
        }
    }

    /** The principal of an {@code Authorization} header value, if it carries a known bearer token. */
    public Optional<String> principal(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] presented = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, String> e : principalByToken.entrySet()) {
            if (MessageDigest.isEqual(presented, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** The generated admin token, when no tokens were configured. */
    public Optional<String> generatedAdminToken() {
        return Optional.ofNullable(generatedAdminToken);
    }
}
