package io.sagashop.devstack.auth;

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
 * The devstack's token signing key pair, made on first start in {@code <data dir>/keys}: the services verify tokens
 * with {@code public.pem}; {@code ./sagashop token} signs with {@code private.pem} (readable by its owner only).
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

    public boolean exist() {
        return Files.isRegularFile(privateKeyFile()) && Files.isRegularFile(publicKey());
    }

    /** Makes the pair unless it exists; returns this. */
    public DevKeys ensure() throws IOException {
        if (exist()) {
            return this;
        }
        Files.createDirectories(dir);
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make an RSA key pair", e);
        }
        Path privateTmp = dir.resolve("private.pem.tmp");
        Files.deleteIfExists(privateTmp);
        Files.createFile(privateTmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(privateTmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(publicKey(), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        Files.move(privateTmp, privateKeyFile(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return this;
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
