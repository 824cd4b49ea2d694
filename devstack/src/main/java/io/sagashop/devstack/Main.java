package io.sagashop.devstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code ./sagashop up|infra}: runs the devstack in the foreground until Ctrl-C or SIGTERM. {@code demo} is {@link Demo}. */
public final class Main {

    static final String SEE_HELP = "; see ./sagashop help";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        String command = args.length == 0 ? "" : args[0];
        if (command.equals("demo")) {
            return Demo.run(List.of(args).subList(1, args.length));
        }
        if (command.equals("chaos")) {
            return io.sagashop.devstack.chaos.Chaos.run(Path.of(System.getProperty("sagashop.root", ".")).toAbsolutePath().normalize(),
                    List.of(args).subList(1, args.length));
        }
        if (command.equals("token")) {
            return io.sagashop.devstack.auth.TokenCommand.run(Path.of(System.getProperty("sagashop.root", ".")).toAbsolutePath().normalize(),
                    List.of(args).subList(1, args.length));
        }
        if (command.equals("dlq")) {
            return DeadLetterCommand.run(List.of(args).subList(1, args.length));
        }
        if (command.equals("bench")) {
            return Bench.run(Path.of(System.getProperty("sagashop.root", ".")).toAbsolutePath().normalize(),
                    List.of(args).subList(1, args.length));
        }
        if (command.equals("images")) {
            return Images.run(Path.of(System.getProperty("sagashop.root", ".")).toAbsolutePath().normalize(),
                    List.of(args).subList(1, args.length));
        }
        if (!command.equals("up") && !command.equals("infra")) {
            System.err.println("sagashop: unknown command '" + command + "'" + SEE_HELP);
            return 2;
        }
        Devstack.Options options;
        try {
            options = parse(command, List.of(args).subList(1, args.length));
        } catch (IllegalArgumentException e) {
            System.err.println("sagashop: " + e.getMessage() + SEE_HELP);
            return 2;
        }
        Devstack stack = Devstack.create(options);
        Runnable stop = () -> {
            System.out.println("\nsagashop: stopping (services, sandbox, Kafka, PostgreSQL) ...");
            if (stack.services().stream().anyMatch(ServiceProcess::training)) {
                System.out.println("sagashop: the services are writing their AOT caches (first run after a build): up to a minute");
            }
            stack.close();
            System.out.println("sagashop: stopped.");
        };
        // Ctrl-C and SIGTERM stop everything in order *before* the JVM runs its shutdown hooks: the embedded
        // PostgreSQL library has a hook of its own that would otherwise stop the database while services still run.
        for (String signal : List.of("INT", "TERM")) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> {
                stop.run();
                System.exit(128 + s.getNumber());
            });
        }
        Thread stopper = new Thread(stack::close, "sagashop-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        long started = System.nanoTime();
        try {
            System.out.println("sagashop: starting " + (options.withServices() ? "everything" : "the infrastructure")
                    + " (data in " + options.dataDir() + ") ...");
            stack.launch();
        } catch (Devstack.PortTakenException e) {
            Runtime.getRuntime().removeShutdownHook(stopper);
            System.err.println("sagashop: " + e.getMessage());
            return 3;
        } catch (IOException | RuntimeException e) {
            System.err.println("sagashop: startup failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            return 130;
        }
        printReady(stack, Duration.ofNanos(System.nanoTime() - started));
        return watch(stack);
    }

    /** Blocks while everything runs; a child that dies on its own takes the whole stack down (nothing left half-up). */
    private static int watch(Devstack stack) {
        List<String> expected = new ArrayList<>();
        stack.runningChildren().forEach(c -> expected.add(c.name()));
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return 130;
            }
            for (ChildProcess child : allChildren(stack)) {
                if (!stack.isStopping() && !child.isAlive() && expected.contains(child.name())) {
                    System.err.println("sagashop: " + child.name() + " exited unexpectedly (code " + child.exitCode()
                            + "); last lines of " + child.logFile() + ":\n" + child.tail(15));
                    return 1;
                }
            }
        }
    }

    private static List<ChildProcess> allChildren(Devstack stack) {
        List<ChildProcess> children = new ArrayList<>();
        stack.services().forEach(s -> children.add(s.process()));
        children.add(stack.broker().process());
        return children;
    }

    private static void printReady(Devstack stack, Duration took) {
        Devstack.Ports ports = stack.ports();
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nsagashop: ready in %.1f s%n%n", took.toMillis() / 1000.0));
        for (ServiceProcess s : stack.services()) {
            String what = switch (s.service()) {
                case ORDER -> "orders API          " + s.url() + "/orders";
                case INVENTORY -> "catalog & stock     " + s.url() + "/products";
                case PAYMENT -> "payments            " + s.url() + "/payments/{orderId}";
                case SHIPPING -> "shipments           " + s.url() + "/shipments/{orderId}";
                case READ_MODEL -> "dashboard & views   " + s.url() + "/";
                case SANDBOX -> "sandbox providers   " + s.url();
            };
            out.append(String.format("  %-12s %-62s ready in %4.1f s%n", s.name(), what,
                    s.lastStartup() == null ? 0.0 : s.lastStartup().toMillis() / 1000.0));
        }
        out.append(String.format("  %-12s %s%n", "kafka", stack.broker().bootstrapServers()));
        out.append(String.format("  %-12s postgresql://localhost:%d/{order_db,inventory_db,payment_db,shipping_db,readmodel_db}"
                + " (user %s, password %s)%n", "postgres", ports.postgres(), PostgresServer.USER, PostgresServer.PASSWORD));
        if (stack.options().withServices()) {
            out.append(String.format("%n  dashboard, signed in as admin: %s/#token=%s%n", stack.service(Service.READ_MODEL).url(), stack.adminToken()));
            out.append("  tokens for curl: ./sagashop token --admin | --customer c-1   (Authorization: Bearer <token>)\n");
        }
        ServiceJvm jvm = stack.serviceJvm();
        boolean training = stack.services().stream().anyMatch(ServiceProcess::training);
        out.append(String.format("%n  services on %s%s%n", jvm,
                training ? ";\n  this run trains each service's AOT cache (written when you stop: later starts are faster)" : ""));
        out.append("  swagger: <service>/q/swagger-ui\n");
        out.append(String.format("%n  logs: %s%n  Ctrl-C stops everything.%n", stack.options().dataDir().resolve("logs")));
        System.out.print(out);
    }

    static Devstack.Options parse(String command, List<String> args) {
        Path root = Path.of(System.getProperty("sagashop.root", ".")).toAbsolutePath().normalize();
        Devstack.Options options = Devstack.Options.defaults(root).withServices(command.equals("up"));
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--fresh" -> options = options.fresh(true);
                case "--data-dir" -> options = options.dataDir(Path.of(value(args, ++i, arg)).toAbsolutePath());
                case "--partitions" -> options = options.partitions(number(value(args, ++i, arg), arg, 1));
                case "--port-offset" -> options = options.portOffset(number(value(args, ++i, arg), arg, 0));
                case "--replicas" -> options = options.replicas(replicas(value(args, ++i, arg), arg));
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return options;
    }

    /** Instances per service: each is a JVM of ~200 MB, and instance ports are 100 apart, so at most 9. */
    public static int replicas(String value, String option) {
        int n = number(value, option, 1);
        if (n > 9) {
            throw new IllegalArgumentException(option + " takes 1 to 9, not '" + value + "'");
        }
        return n;
    }

    static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    static int number(String value, String option, int min) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > 50000) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number from " + min + " to 50000, not '" + value + "'");
        }
    }
}
