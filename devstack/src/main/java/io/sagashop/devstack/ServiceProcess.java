package io.sagashop.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One packaged Quarkus application ({@code <module>/target/quarkus-app/quarkus-run.jar}) run as a child process. */
public final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Service service;
    private final int instance;
    private final String name;
    private final int port;
    private final Path jar;
    private final Map<String, String> env;
    private final Path logFile;
    private final String javaOptions;
    private final ServiceJvm jvm;
    private ChildProcess process;
    private Instant launchedAt;
    /** This run trains the service's AOT cache: it is written as the JVM exits, which takes a while. */
    private boolean training;
    private Duration lastStartup;

    ServiceProcess(Service service, int instance, String name, int port, Path jar, Map<String, String> env, Path logFile,
                   String javaOptions, ServiceJvm jvm) {
        this.jvm = jvm;
        this.service = service;
        this.instance = instance;
        this.name = name;
        this.javaOptions = javaOptions.strip();
        this.port = port;
        this.jar = jar;
        this.env = env;
        this.logFile = logFile;
    }

    public Service service() {
        return service;
    }

    /** 0 for the first instance of its service. */
    public int instance() {
        return instance;
    }

    /** The module name, with {@code -<instance>} for every instance but the first (also its log file's name). */
    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    /** How long the last start took, from launching the JVM until the service reported ready. */
    public Duration lastStartup() {
        return lastStartup;
    }

    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        if (!Files.isRegularFile(jar)) {
            throw new IOException(service.module() + " is not built: " + jar + " is missing (run ./mvnw package -DskipTests)");
        }
        List<String> command = new ArrayList<>();
        command.add(jvm.java());
        command.addAll(List.of(javaOptions.split("\\s+")));
        Path appDirectory = jar.toAbsolutePath().getParent();
        command.addAll(jvm.cacheOptions(appDirectory, jar, javaOptions, instance == 0));
        training = instance == 0 && jvm.training(appDirectory);
        command.addAll(List.of("-jar", jar.getFileName().toString()));
        launchedAt = Instant.now();
        process = ChildProcess.start(name, command, env, logFile, appDirectory);
        lastStartup = null;
    }

    /** Waits until {@code /q/health/ready} answers 200. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        Instant started = Instant.now();
        Instant until = started.plus(timeout);
        while (Instant.now().isBefore(until)) {
            ChildProcess p = process;
            if (p == null || !p.isAlive()) {
                throw new IOException(name + " exited during startup (code " + (p == null ? "?" : p.exitCode())
                        + "); log " + logFile + ":\n" + (p == null ? "" : p.tail(25)));
            }
            if (health("ready") == 200) {
                lastStartup = Duration.between(launchedAt == null ? started : launchedAt, Instant.now());
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException(name + " was not ready within " + timeout + "; log " + logFile + ":\n" + process.tail(25));
    }

    /** HTTP status of {@code /q/health/<kind>} ({@code live} or {@code ready}), or -1 when nothing answers. */
    public int health(String kind) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/q/health/" + kind))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public synchronized void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(training ? 120 : 20));
        }
    }

    /** Whether this run trains the service's AOT cache (written when it stops). */
    public boolean training() {
        return training;
    }

    public synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized ChildProcess process() {
        return process;
    }
}
