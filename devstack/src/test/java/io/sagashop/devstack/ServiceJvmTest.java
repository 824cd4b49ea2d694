package io.sagashop.devstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ServiceJvmTest {

    @TempDir
    Path dir;

    @Test
    void aJdk25IsPreferredAndAnOlderLauncherFallsBackToItsOwnJdk() throws IOException {
        Path jvms = Files.createDirectories(dir.resolve("jvm"));
        Path jdk17 = jdk(jvms.resolve("java-17-openjdk-amd64"), "17.0.16");
        Path jdk25 = jdk(jvms.resolve("temurin-25-jdk-amd64"), "25.0.1");

        assertEquals(new ServiceJvm(jdk25, 25), ServiceJvm.installed(jvms).orElseThrow());
        assertEquals(new ServiceJvm(jdk25, 25), ServiceJvm.choose(Map.of("SAGASHOP_SERVICE_JAVA_HOME", jdk25.toString()), jdk17));
        assertEquals(new ServiceJvm(jdk17, 17), ServiceJvm.choose(Map.of("SAGASHOP_SERVICE_JAVA_HOME", jdk17.toString()), jdk25),
                "an explicit JDK wins, also an older one (to compare)");
        assertEquals(new ServiceJvm(jdk25, 25), ServiceJvm.choose(Map.of(), jdk25), "the launcher's own JDK 25");
        assertFalse(ServiceJvm.of(dir.resolve("nothing")).isPresent());
        assertThrows(IllegalArgumentException.class, () -> ServiceJvm.choose(Map.of("SAGASHOP_SERVICE_JAVA_HOME", dir.toString()), jdk17));
    }

    @Test
    void benchJdkFindsAJdkByItsReleaseOrItsDirectory() throws IOException {
        Path jvms = Files.createDirectories(dir.resolve("jvm"));
        Path jdk17 = jdk(jvms.resolve("java-17-openjdk-amd64"), "17.0.16");
        Path jdk25 = jdk(jvms.resolve("temurin-25-jdk-amd64"), "25.0.1");
        Path launcher = jdk(dir.resolve("launcher-21"), "21.0.4");

        assertEquals(new ServiceJvm(jdk17, 17), ServiceJvm.find("17", launcher, jvms));
        assertEquals(new ServiceJvm(jdk25, 25), ServiceJvm.find("25", launcher, jvms));
        assertEquals(new ServiceJvm(launcher, 21), ServiceJvm.find("21", launcher, jvms), "the launcher's own");
        assertEquals(new ServiceJvm(jdk25, 25), ServiceJvm.find(jdk25.toString(), launcher, jvms));
        assertThrows(IllegalArgumentException.class, () -> ServiceJvm.find("11", launcher, jvms));
        assertThrows(IllegalArgumentException.class, () -> ServiceJvm.find(dir.toString(), launcher, jvms));
    }

    @Test
    void theFirstRunTrainsTheCacheLaterRunsUseItAndANewBuildTrainsAgain() throws IOException {
        Path app = Files.createDirectories(dir.resolve("quarkus-app"));
        Path jar = Files.writeString(app.resolve("quarkus-run.jar"), "build 1");
        ServiceJvm jvm = new ServiceJvm(dir, 25);

        assertEquals(List.of(), jvm.cacheOptions(app, jar, "-Xmx256m", false), "a second replica does not write the same cache");
        assertEquals(List.of("-XX:AOTCacheOutput=app.aot"), jvm.cacheOptions(app, jar, "-Xmx256m", true));
        assertTrue(jvm.training(app));

        Files.writeString(app.resolve("app.aot"), "the cache the JVM wrote as it exited");
        assertEquals(List.of("-XX:AOTCache=app.aot"), jvm.cacheOptions(app, jar, "-Xmx256m", true));
        assertFalse(jvm.training(app));
        assertEquals(List.of("-XX:AOTCacheOutput=app.aot"), jvm.cacheOptions(app, jar, "-Xmx512m", true), "other flags");
        Files.writeString(app.resolve("app.aot"), "trained again");
        assertEquals(List.of("-XX:AOTCache=app.aot"), jvm.cacheOptions(app, jar, "-Xmx512m", true));

        Files.writeString(jar, "build 2, a little longer");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertEquals(List.of("-XX:AOTCacheOutput=app.aot"), jvm.cacheOptions(app, jar, "-Xmx256m", true), "trained on another build");
        assertFalse(Files.exists(app.resolve("app.aot")));
    }

    @Test
    void belowJdk25TheAppCdsArchiveIsUsedWhenThereIsOne() throws IOException {
        Path app = Files.createDirectories(dir.resolve("quarkus-app"));
        Path jar = Files.writeString(app.resolve("quarkus-run.jar"), "build");
        ServiceJvm jvm = new ServiceJvm(dir, 17);

        assertEquals(List.of(), jvm.cacheOptions(app, jar, "-Xmx256m", true));
        Files.writeString(app.resolve("app-cds.jsa"), "archive");
        assertEquals(List.of("-XX:SharedArchiveFile=app-cds.jsa"), jvm.cacheOptions(app, jar, "-Xmx256m", true));
        assertFalse(jvm.training(app));
    }

    private static Path jdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin/java"), "");
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }
}
