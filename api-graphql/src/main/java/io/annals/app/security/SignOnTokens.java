package io.annals.app.security;

import io.annals.command.api.access.Role;
import io.annals.command.api.common.Actor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Bearer JWTs from a company's OpenID Connect issuer, verified by Spring Security's resource-server decoder
 * (signature against the issuer's keys, expiry and not-before, issuer and audience when configured). The caller is
 * {@code user:<principal claim>}; its roles come from the groups claim through the configured mapping.
 */
final class SignOnTokens {

    private static final Logger log = LoggerFactory.getLogger(SignOnTokens.class);

    private final SecuritySettings.Jwt settings;
    private final JwtDecoder decoder;

    SignOnTokens(SecuritySettings.Jwt settings) {
        this.settings = settings;
        NimbusJwtDecoder nimbus;
        String keys;
        if (settings.publicKeyLocation() != null) {
            nimbus = NimbusJwtDecoder.withPublicKey(readKey(settings)).build();
            keys = "the public key in " + settings.publicKeyLocation();
        } else if (settings.jwkSetUri() != null) {
            nimbus = NimbusJwtDecoder.withJwkSetUri(settings.jwkSetUri().toString()).build();
            keys = "the keys at " + settings.jwkSetUri();
        } else {
            nimbus = NimbusJwtDecoder.withIssuerLocation(settings.issuer()).build();
            keys = "the keys the issuer publishes";
        }
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(settings.issuer() == null ? JwtValidators.createDefault()
                : JwtValidators.createDefaultWithIssuer(settings.issuer()));
        if (settings.audience() != null) {
            validators.add(new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD,
                    aud -> aud != null && aud.contains(settings.audience())));
        }
        nimbus.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        this.decoder = nimbus;
        settings.roleMapping().values().forEach(roles -> roles.forEach(Role::of));
        log.info("Sign-on tokens accepted: JWTs{} signed with {}; principal from claim '{}', roles from claim '{}'",
                settings.issuer() == null ? "" : " of " + settings.issuer(), keys, settings.principalClaim(),
                settings.rolesClaim());
    }

    private static RSAPublicKey readKey(SecuritySettings.Jwt settings) {
        try (InputStream in = Files.newInputStream(settings.publicKeyLocation())) {
            return RsaKeyConverters.x509().convert(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read annals.security.jwt.public-key-location "
                    + settings.publicKeyLocation(), e);
        }
    }

    /** Whether the text has the shape of a JWT (three base64url parts); only then is it worth decoding. */
    static boolean looksLikeJwt(String token) {
        return token.startsWith("eyJ") && token.chars().filter(c -> c == '.').count() == 2;
    }

    Caller authenticate(String token) {
        Jwt jwt;
        try {
            jwt = decoder.decode(token);
        } catch (JwtException e) {
            throw new Caller.UnauthenticatedException("the sign-on token was refused: " + e.getMessage());
        }
        String subject = jwt.getClaimAsString(settings.principalClaim());
        if (subject == null || subject.isBlank() || subject.length() > 200 || subject.chars().anyMatch(
                Character::isWhitespace)) {
            throw new Caller.UnauthenticatedException("the sign-on token has no usable '"
                    + settings.principalClaim() + "' claim to name its caller");
        }
        return new Caller(Actor.user(subject), roles(jwt), "sign-on", null);
    }

    private Set<Role> roles(Jwt jwt) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Object claim = jwt.getClaims().get(settings.rolesClaim());
        List<String> groups = new ArrayList<>();
        if (claim instanceof Collection<?> list) {
            list.forEach(g -> groups.add(String.valueOf(g)));
        } else if (claim instanceof String s) {
            groups.addAll(List.of(s.trim().split("\\s+")));
        }
        for (String group : groups) {
            settings.roleMapping().getOrDefault(group, List.of()).forEach(r -> roles.add(Role.of(r)));
        }
        return roles;
    }
}
