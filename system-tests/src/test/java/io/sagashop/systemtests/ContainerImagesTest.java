package io.sagashop.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagashop.devstack.Images;
import io.sagashop.devstack.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code ./sagashop images} builds a loadable image tarball from the packaged application without a Docker daemon.
 * Built here on the empty base image (registries are not reachable from CI); the layers, entrypoint, user and port
 * are what the Kubernetes manifests expect.
 */
class ContainerImagesTest {

    static final Path ROOT = Path.of(System.getProperty("sagashop.root", "..")).toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anImageTarballHoldsTheQuarkusAppWithEntrypointUserAndPort(@TempDir Path out) throws Exception {
        Path tar = Images.build(ROOT, Service.ORDER, "scratch", "0.1.0", out);

        Map<String, byte[]> entries = untar(Files.newInputStream(tar));
        JsonNode manifest = JSON.readTree(entries.get("manifest.json")).get(0);
        assertEquals("sagashop/order:0.1.0", manifest.path("RepoTags").get(0).asText());
        JsonNode config = JSON.readTree(entries.get(manifest.path("Config").asText())).path("config");
        assertEquals(List.of("java", "-XX:MaxRAMPercentage=50", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-jar", "/deployments/quarkus-run.jar"), JSON.convertValue(config.path("Entrypoint"), List.class));
        assertEquals("185", config.path("User").asText(), "the uid the manifests run as");
        assertTrue(config.path("ExposedPorts").has("8081/tcp"));

        Set<String> files = new HashSet<>();
        for (JsonNode layer : manifest.path("Layers")) {
            files.addAll(untar(new GZIPInputStream(new java.io.ByteArrayInputStream(entries.get(layer.asText())))).keySet());
        }
        assertTrue(files.contains("deployments/quarkus-run.jar"), "the runner jar");
        assertTrue(files.stream().anyMatch(f -> f.startsWith("deployments/lib/main/")), "the libraries");
        assertTrue(files.stream().anyMatch(f -> f.startsWith("deployments/app/")), "the application");
        assertTrue(files.stream().anyMatch(f -> f.startsWith("deployments/quarkus/")), "Quarkus' generated code");
    }

    /** A tar's regular files by name (the format is simple enough not to need a library). */
    static Map<String, byte[]> untar(InputStream in) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (in) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = new String(header, 0, 100, java.nio.charset.StandardCharsets.US_ASCII).trim().replace("\0", "");
                String prefix = new String(header, 345, 155, java.nio.charset.StandardCharsets.US_ASCII).replace("\0", "").trim();
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(new String(header, 124, 12, java.nio.charset.StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
                byte[] body = in.readNBytes((int) size);
                in.readNBytes((int) ((512 - size % 512) % 512));
                if (header[156] == '0' || header[156] == 0) {
                    files.put(name.startsWith("./") ? name.substring(2) : name, body);
                }
            }
        }
        return files;
    }
}
