package io.sagashop.devstack.auth;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Bearer tokens as the services accept them: a JWT signed RS256 by the devstack's key, issuer {@link #ISSUER},
 * {@code sub} the customer id (or {@code admin}), {@code groups} {@code customer} or {@code admin}.
 */
public final class Tokens {

    public static final String ISSUER = "https://sagashop.local";
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    /** An {@code Authorization} header value for an admin, signed with the key of the stack whose data is in {@code dataDir}. */
    public static String adminHeader(java.nio.file.Path dataDir) throws java.io.IOException {
        return "Bearer " + admin(DevKeys.in(dataDir).privateKey(), Duration.ofHours(1));
    }

    /** The data directory of a {@code ./sagashop up} started in {@code root} without {@code --data-dir}. */
    public static java.nio.file.Path defaultDataDir() {
        return java.nio.file.Path.of(System.getProperty("sagashop.root", ".")).toAbsolutePath().normalize().resolve(".devstack");
    }

    public static String customer(PrivateKey key, String customerId, Duration ttl) {
        return sign(key, customerId, List.of("customer"), ttl);
    }

    public static String admin(PrivateKey key, Duration ttl) {
        return sign(key, "admin", List.of("admin"), ttl);
    }

    public static String sign(PrivateKey key, String subject, List<String> groups, Duration ttl) {
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", subject);
        claims.put("upn", subject);
        claims.put("groups", groups);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(ttl).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        try {
            String input = B64.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")))
                    + "." + B64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }
}
