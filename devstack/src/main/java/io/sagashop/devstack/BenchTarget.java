package io.sagashop.devstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What {@link Bench} drives and measures: the stack it started itself, or one already running on this machine
 * ({@code ./sagashop bench --target}, e.g. a {@code ./sagashop up} the user has been watching).
 */
public interface BenchTarget {

    String url(Service service);

    String jdbcUrl(String database);

    String bootstrapServers();

    void createTopic(String topic) throws Exception;

    /** The {@code Authorization} header of an admin of this stack (the bench sets up the catalog and orders for many customers). */
    String authorization();

    /** CPU, memory and (when known) startup time of every process: services, sandbox, broker, PostgreSQL. */
    List<BenchResult.ProcessUsage> processes();

    /** A stack this process started: it knows its children and how long each took to get ready. */
    public static BenchTarget of(Devstack stack) {
        return new BenchTarget() {
            public String url(Service service) {
                return stack.service(service).url();
            }

            public String authorization() {
                return "Bearer " + stack.adminToken();
            }

            public String jdbcUrl(String database) {
                return stack.postgres().jdbcUrl(database);
            }

            public String bootstrapServers() {
                return stack.broker().bootstrapServers();
            }

            public void createTopic(String topic) throws InterruptedException {
                stack.broker().createTopics(List.of(topic));
            }

            public List<BenchResult.ProcessUsage> processes() {
                List<BenchResult.ProcessUsage> rows = new ArrayList<>();
                for (ServiceProcess s : stack.services()) {
                    rows.add(Bench.process(s.service().module(), s.process().pid(), s.lastStartup()));
                }
                rows.add(Bench.process("kafka", stack.broker().process().pid(), null));
                rows.add(Bench.process("postgres", stack.postgres().pid(), null));
                return rows;
            }
        };
    }

    /**
     * A stack started by {@code ./sagashop up} (with the given port offset) on this machine. Its processes are found by
     * their command lines; their startup times are not known here.
     */
    public static BenchTarget running(int portOffset) {
        Devstack.Ports ports = Devstack.Ports.withOffset(portOffset);
        return new BenchTarget() {
            public String url(Service service) {
                return "http://localhost:" + ports.services().get(service);
            }

            public String authorization() {
                try {
                    return io.sagashop.devstack.auth.Tokens.adminHeader(io.sagashop.devstack.auth.Tokens.defaultDataDir());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            public String jdbcUrl(String database) {
                return "jdbc:postgresql://localhost:" + ports.postgres() + "/" + database;
            }

            public String bootstrapServers() {
                return "localhost:" + ports.kafka();
            }

            public void createTopic(String topic) throws Exception {
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
                    if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                        admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
                    }
                }
            }

            public List<BenchResult.ProcessUsage> processes() {
                List<BenchResult.ProcessUsage> rows = new ArrayList<>();
                List<Service> all = new ArrayList<>(List.of(Service.SANDBOX));
                all.addAll(Service.SAGA_SERVICES);
                for (Service s : all) {
                    // A service runs `-jar quarkus-run.jar` in its module's target/quarkus-app (see ServiceProcess), and
                    // its HTTP port is in its environment: match the jar, the directory, then the port.
                    String port = "QUARKUS_HTTP_PORT=" + ports.services().get(s);
                    pid(pid -> commandLine(pid).contains("quarkus-run.jar")
                            && ChildProcess.workingDirectory(pid).endsWith(Path.of(s.module(), "target", "quarkus-app"))
                            && environ(pid).contains(port))
                            .ifPresent(pid -> rows.add(Bench.process(s.module(), pid, null)));
                }
                // The broker's port is in the server.properties its command line ends with.
                pid(pid -> {
                    String cmd = commandLine(pid);
                    return cmd.contains("kafka.Kafka") && serverProperties(cmd).contains(":" + ports.kafka() + "\n");
                }).ifPresent(pid -> rows.add(Bench.process("kafka", pid, null)));
                pid(pid -> {
                    String cmd = commandLine(pid);
                    return cmd.contains("bin/postgres") && cmd.contains("-p " + ports.postgres() + " ");
                }).ifPresent(pid -> rows.add(Bench.process("postgres", pid, null)));
                return rows;
            }
        };
    }

    private static Optional<Long> pid(java.util.function.LongPredicate matches) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .filter(matches::test)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String commandLine(long pid) {
        return read(pid, "cmdline");
    }

    private static List<String> environ(long pid) {
        return List.of(read(pid, "environ").split(" "));
    }

    /** A NUL-separated /proc file with spaces instead, or "" when the process is gone or not ours to read. */
    private static String read(long pid, String file) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/" + file))).replace('\0', ' ') + " ";
        } catch (IOException e) {
            return "";
        }
    }

    private static String serverProperties(String commandLine) {
        String[] args = commandLine.trim().split(" ");
        try {
            return Files.readString(Path.of(args[args.length - 1])).replace("\r", "") + "\n";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
