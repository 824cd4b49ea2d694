package io.sagashop.platform.security;

import io.sagashop.platform.config.SagaShopConfig;

import io.sagashop.contracts.PaymentTokenSeal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The key order seals payment tokens with and payment opens them with: a file holding 32 random bytes in base64, at
 * {@code sagashop.payment-token.key-location} (./sagashop up makes one in its data directory; kind mounts a Secret).
 * Only services that ask for a {@link PaymentTokenSeal} read it.
 */
@ApplicationScoped
public class PaymentTokenKey {

    @Produces
    @Singleton
    PaymentTokenSeal seal(SagaShopConfig config) {
        Path file = Path.of(config.paymentToken().keyLocation());
        try {
            return new PaymentTokenSeal(Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("no usable payment token key at " + file.toAbsolutePath()
                    + " (32 random bytes in base64; set SAGASHOP_PAYMENT_TOKEN_KEY_LOCATION): " + e.getMessage(), e);
        }
    }
}
