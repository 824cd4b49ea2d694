package io.sagashop.devstack;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.Ports;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code ./sagashop images}: one OCI image tarball per application, built with Jib from the packaged Quarkus
 * application ({@code target/quarkus-app}, in its four layers: libraries, then app, then Quarkus' generated code),
 * without a Docker daemon. The tarballs go to {@code target/images/} for {@code kind load image-archive}.
 * The image is the same as {@code src/main/docker/Dockerfile.jvm} builds: uid 185, the app's port, run-java style.
 */
public final class Images {

    /** The JVM base image of src/main/docker/Dockerfile.jvm. */
    static final String DEFAULT_BASE = "registry.access.redhat.com/ubi9/openjdk-17-runtime:1.21";
    static final String DEFAULT_TAG = "0.1.0";

    private Images() {
    }

    static int run(Path root, List<String> args) {
        String base = DEFAULT_BASE;
        String tag = DEFAULT_TAG;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if ((arg.equals("--base") || arg.equals("--tag")) && i + 1 < args.size()) {
                if (arg.equals("--base")) {
                    base = args.get(++i);
                } else {
                    tag = args.get(++i);
                }
            } else {
                System.err.println("sagashop: unknown option '" + arg + "' for images" + Main.SEE_HELP);
                return 2;
            }
        }
        Path out = root.resolve("target/images");
        try {
            Files.createDirectories(out);
            for (Service service : Service.values()) {
                Path tar = build(root, service, base, tag, out);
                System.out.printf("  %-11s %s%n", service.module(), root.relativize(tar));
            }
        } catch (Exception e) {
            System.err.println("sagashop: building images failed: " + e);
            System.err.println("  (the base image " + base + " must be reachable; offline, pass --base tar:///path/to/base.tar)");
            return 1;
        }
        System.out.println("load them into kind:  for t in target/images/*.tar; do kind load image-archive \"$t\" --name sagashop; done");
        return 0;
    }

    /** Builds {@code target/images/<app>-<tag>.tar} holding image {@code sagashop/<app>:<tag>}. */
    public static Path build(Path root, Service service, String base, String tag, Path out) throws Exception {
        Path app = root.resolve(service.module()).resolve("target/quarkus-app");
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException("no " + app.resolve("quarkus-run.jar") + ": build first (./mvnw package -DskipTests)");
        }
        String image = "sagashop/" + service.module() + ":" + tag;
        AbsoluteUnixPath deployments = AbsoluteUnixPath.get("/deployments");
        JibContainerBuilder builder = base.equals("scratch") ? Jib.fromScratch() : Jib.from(base);
        // Layers from the least to the most often changed, as Quarkus' own Jib integration orders them.
        builder.addLayer(List.of(app.resolve("lib")), deployments)
                .addLayer(List.of(app.resolve("app")), deployments)
                .addLayer(List.of(app.resolve("quarkus"), app.resolve("quarkus-run.jar")), deployments)
                .setEntrypoint(List.of("java", "-XX:MaxRAMPercentage=50",
                        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/deployments/quarkus-run.jar"))
                .setWorkingDirectory(deployments)
                .setUser("185")
                .setExposedPorts(Ports.parse(List.of(String.valueOf(service.defaultPort()))))
                .setLabels(Map.of("org.opencontainers.image.title", "sagashop-" + service.module(),
                        "org.opencontainers.image.version", tag));
        Path tar = out.resolve(service.module() + "-" + tag + ".tar");
        builder.containerize(Containerizer.to(TarImage.at(tar).named(image)).setToolName("sagashop"));
        return tar;
    }
}
