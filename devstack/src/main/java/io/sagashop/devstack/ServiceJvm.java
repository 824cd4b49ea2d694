package io.sagashop.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JVM the services run on. A JDK 25 or newer when there is one (SAGASHOP_SERVICE_JAVA_HOME, the launcher's own
 * JDK, or a JDK under /usr/lib/jvm), because its AOT cache (Project Leyden: classes loaded and linked, method profiles)
 * starts a service about twice as fast as JDK 17 with AppCDS; otherwise the launcher's JDK with the AppCDS archive made
 * at package time. Each service's cache ({@code quarkus-app/app.aot}) is trained by its first run: the service records
 * what it loads and runs until it stops, and the JVM writes the cache as it exits; later starts use it.
 *
 * @param home    the JDK's directory
 * @param feature its feature release (17, 25, ...)
 */
public record ServiceJvm(Path home, int feature) {

    /** The release from which the AOT cache (JEP 483, with method profiles from JEP 515) is used. */
    public static final int AOT_FEATURE = 25;
    static final String AOT_CACHE = "app.aot";
    /** What the cache was trained with: the application's build (its runner jar's size and time), the JDK, the flags. */
    static final String AOT_STAMP = "app.aot.stamp";
    private static final Pattern RELEASE_VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    /** The JVM for the services, given the environment and the launcher's own JDK. */
    public static ServiceJvm choose(Map<String, String> env, Path launcherHome) {
        String explicit = env.get("SAGASHOP_SERVICE_JAVA_HOME");
        if (explicit != null && !explicit.isBlank()) {
            Path home = Path.of(explicit);
            return of(home).orElseThrow(() -> new IllegalArgumentException(
                    "SAGASHOP_SERVICE_JAVA_HOME=" + explicit + " is not a JDK (no bin/java and release file)"));
        }
        ServiceJvm launcher = of(launcherHome).orElse(new ServiceJvm(launcherHome, Runtime.version().feature()));
        if (launcher.aot()) {
            return launcher;
        }
        return installed(Path.of("/usr/lib/jvm")).filter(ServiceJvm::aot).orElse(launcher);
    }

    /**
     * A JDK named on the command line: a feature release ({@code 17}, {@code 25}: the launcher's JDK or one under
     * /usr/lib/jvm) or a JDK's directory.
     */
    public static ServiceJvm find(String spec, Path launcherHome) {
        return find(spec, launcherHome, Path.of("/usr/lib/jvm"));
    }

    static ServiceJvm find(String spec, Path launcherHome, Path jvms) {
        if (spec.matches("\\d+")) {
            int feature = Integer.parseInt(spec);
            List<Path> candidates = new ArrayList<>(List.of(launcherHome));
            try (Stream<Path> homes = Files.isDirectory(jvms) ? Files.list(jvms) : Stream.empty()) {
                homes.sorted().forEach(candidates::add);
            } catch (IOException e) {
                // only the launcher's
            }
            return candidates.stream().map(ServiceJvm::of).flatMap(Optional::stream).filter(j -> j.feature() == feature)
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no JDK " + feature + " here (looked at "
                            + launcherHome + " and " + jvms + "); give its directory instead"));
        }
        return of(Path.of(spec)).orElseThrow(() -> new IllegalArgumentException(spec + " is not a JDK (no bin/java and release file)"));
    }

    /** The newest JDK installed under the directory. */
    static Optional<ServiceJvm> installed(Path jvms) {
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> !Files.isSymbolicLink(h)).map(ServiceJvm::of).flatMap(Optional::stream)
                    .max(Comparator.comparingInt(ServiceJvm::feature));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The JDK at this directory, read from its release file. */
    static Optional<ServiceJvm> of(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(home.resolve("bin/java")) || !Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            Matcher m = RELEASE_VERSION.matcher(Files.readString(release));
            return m.find() ? Optional.of(new ServiceJvm(home, Integer.parseInt(m.group(1)))) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean aot() {
        return feature >= AOT_FEATURE;
    }

    public String java() {
        return home.resolve("bin/java").toString();
    }

    /**
     * The options that make the service start from its cache: {@code -XX:AOTCache} when one was trained on this build
     * of the application, else {@code -XX:AOTCacheOutput} (this run trains it) unless {@code mayTrain} is false (a
     * second replica: one writer per cache); AppCDS below JDK 25. A cache is used only with the JVM options it was
     * trained with (the JVM ignores one made with other flags): other options train it again.
     */
    public List<String> cacheOptions(Path appDirectory, Path jar, String javaOptions, boolean mayTrain) throws IOException {
        List<String> options = new ArrayList<>();
        if (aot()) {
            Path stamp = appDirectory.resolve(AOT_STAMP);
            String build = stampOf(jar) + " " + home + " " + javaOptions.strip();
            if (Files.isRegularFile(appDirectory.resolve(AOT_CACHE)) && Files.isRegularFile(stamp)
                    && Files.readString(stamp).equals(build)) {
                options.add("-XX:AOTCache=" + AOT_CACHE);
            } else if (mayTrain) {
                Files.deleteIfExists(appDirectory.resolve(AOT_CACHE));
                Files.writeString(stamp, build);
                options.add("-XX:AOTCacheOutput=" + AOT_CACHE);
            }
        } else if (Files.isRegularFile(appDirectory.resolve("app-cds.jsa"))) {
            // The class archive (made at package time, quarkus.package.jar.appcds) records the class path relative to the
            // application's directory, and the JVM ignores it unless started there with the same relative -jar path.
            options.add("-XX:SharedArchiveFile=app-cds.jsa");
        }
        return options;
    }

    /** Whether the service's cache is being trained by this run (it is written when the service stops). */
    public boolean training(Path appDirectory) {
        return aot() && !Files.isRegularFile(appDirectory.resolve(AOT_CACHE));
    }

    private static String stampOf(Path jar) throws IOException {
        return Files.size(jar) + "@" + Files.getLastModifiedTime(jar).toMillis();
    }

    @Override
    public String toString() {
        return "JDK " + feature + (aot() ? " with an AOT cache per service" : " with AppCDS") + " (" + home + ")";
    }
}
