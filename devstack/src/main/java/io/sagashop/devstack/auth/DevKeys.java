package io.sagashop.devstack.auth;

import io.sagashop.contracts.PaymentTokenSeal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The devstack's keys, made on first start in {@code <data dir>/keys} (secret ones readable by their owner only): the
 * token signing pair (the services verify tokens with {@code public.pem}; {@code ./sagashop token} signs with
 * {@code private.pem}) and {@code payment-token.key}, which order seals payment tokens with and payment opens them with.
 */
public record DevKeys(Path dir) {

    public static DevKeys in(Path dataDir) {
        return new DevKeys(dataDir.resolve("keys"));
    }

    public Path publicKey() {
        return dir.resolve("public.pem");
    }

    public Path privateKeyFile() {
        return dir.resolve("private.pem");
    }

    public Path paymentTokenKey() {
        return dir.resolve("payment-token.key");
    }

    public boolean exist() {
        return Files.isRegularFile(privateKeyFile()) && Files.isRegularFile(publicKey());
    }

    /** Makes each key that does not exist yet; returns this. */
    public DevKeys ensure() throws IOException {
        Files.createDirectories(dir);
        if (!Files.isRegularFile(paymentTokenKey())) {
            writeSecret(paymentTokenKey(), Base64.getEncoder().encodeToString(PaymentTokenSeal.newKey()) + "\n");
        }
        if (exist()) {
            return this;
        }
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make an RSA key pair", e);
        }
        Files.writeString(publicKey(), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        writeSecret(privateKeyFile(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        return this;
    }

    /** Written owner-only beside, then moved into place: a crash never leaves half a key. */
    private static void writeSecret(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public PrivateKey privateKey() throws IOException {
        if (!Files.isRegularFile(privateKeyFile())) {
            throw new IOException("no signing key in " + dir + ": start the stack once (./sagashop up) to make one");
        }
        return readPrivateKey(privateKeyFile());
    }

    /** An RSA private key in PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("unreadable signing key " + file + ": " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
