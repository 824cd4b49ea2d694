package io.sagashop.contracts;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * How a payment token travels in OrderPlaced: sealed (AES-256-GCM) under a key only the order and payment services
 * hold, and bound to its order (the order id is the associated data), so the event log, the topics, the order's
 * history and every other consumer see ciphertext; customers and logs see only {@link #mask}.
 * Sealed form: {@code v1:} + base64url(12-byte nonce, ciphertext and tag). Events written before sealing existed are
 * read as {@code v0:} + the token ({@link #unsealed}).
 */
public final class PaymentTokenSeal {

    public static final int KEY_BYTES = 32;
    private static final String VERSION = "v1:";
    private static final String UNSEALED = "v0:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public PaymentTokenSeal(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a payment token key has " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** A new random key, for {@link #PaymentTokenSeal(byte[])}. */
    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    public String seal(String orderId, String token) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, orderId);
            byte[] sealed = cipher.doFinal(token.getBytes(StandardCharsets.UTF_8));
            return VERSION + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /**
     * The token sealed for this order.
     *
     * @throws Unreadable when it was sealed under another key, for another order, or changed on the way
     */
    public String open(String orderId, String sealed) {
        if (sealed != null && sealed.startsWith(UNSEALED)) {
            return sealed.substring(UNSEALED.length());
        }
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new Unreadable("not a sealed payment token (expected the " + VERSION + " form)");
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(sealed.substring(VERSION.length()));
            if (bytes.length <= NONCE_BYTES) {
                throw new Unreadable("sealed payment token too short");
            }
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(bytes, NONCE_BYTES), orderId);
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new Unreadable("the payment token of order " + orderId
                    + " cannot be opened: sealed under another key, for another order, or altered");
        }
    }

    /** A token from an event written before tokens were sealed (an OrderPlaced of schema version 1), as it was. */
    static String unsealed(String token) {
        return UNSEALED + token;
    }

    /** What a person may see of a token: its last characters (at most 4, and at most a third of it). */
    public static String mask(String token) {
        int shown = Math.min(4, token.length() / 3);
        return "****" + token.substring(token.length() - shown);
    }

    private Cipher cipher(int mode, byte[] nonce, String orderId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(orderId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** A sealed token that cannot be opened with this key for this order: it never will be. */
    public static final class Unreadable extends RuntimeException {
        public Unreadable(String message) {
            super(message);
        }
    }
}
