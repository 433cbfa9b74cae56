package io.annals.app.security;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code annals.security.*}: bootstrap tokens and roles from configuration, API token lifetimes, how long a process
 * may answer from its cache of a principal's access, and the sign-on issuer whose JWTs are accepted.
 *
 * @param tokens        principal to token (at least 16 characters), for bootstrapping; when empty, a token for
 *                      {@code admin} is generated, kept in {@code tokenFile} and printed
 * @param roles         principal to built-in roles, outside the log (bootstrap administrators, service accounts)
 * @param accessCacheTtl how long a principal's access is answered from memory before it is read again from the log;
 *                      a change made in this process is seen at once, one made by another process within this time
 * @param accessStaleIfUnavailable when the record cannot be read (no command process answers), how long an answer
 *                      read before may still be used, so that serving goes on through a short outage of the command
 *                      side; zero: never
 */
@ConfigurationProperties("annals.security")
public record SecuritySettings(Map<String, String> tokens, Map<String, List<String>> roles, Path tokenFile,
                               @DefaultValue("P90D") Duration defaultTokenLifetime,
                               @DefaultValue("P366D") Duration maxTokenLifetime,
                               @DefaultValue("PT5S") Duration accessCacheTtl,
                               @DefaultValue("PT5M") Duration accessStaleIfUnavailable,
                               @DefaultValue Jwt jwt) {

    public SecuritySettings {
        tokens = tokens == null ? Map.of() : Map.copyOf(tokens);
        roles = roles == null ? Map.of() : Map.copyOf(roles);
    }

    /**
     * {@code annals.security.jwt.*}: bearer JWTs from an OpenID Connect issuer, checked with Spring Security's
     * resource-server decoder. Off unless one of {@code issuer}, {@code jwkSetUri} or {@code publicKeyLocation} is
     * set. The key comes from the JWK set (given, or discovered from the issuer's metadata) or a PEM public key.
     *
     * @param audience       when set, the {@code aud} claim must contain it
     * @param principalClaim the claim that names the caller; the actor recorded is {@code user:<its value>}
     * @param rolesClaim     the claim with the caller's groups (a list or a space-separated string)
     * @param roleMapping    group to built-in roles
     */
    public record Jwt(String issuer, URI jwkSetUri, Path publicKeyLocation, String audience,
                      @DefaultValue("sub") String principalClaim, @DefaultValue("groups") String rolesClaim,
                      Map<String, List<String>> roleMapping) {

        public Jwt {
            roleMapping = roleMapping == null ? Map.of() : Map.copyOf(roleMapping);
        }

        public boolean enabled() {
            return issuer != null || jwkSetUri != null || publicKeyLocation != null;
        }
    }
}
