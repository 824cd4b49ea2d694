package io.sagashop.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * The real PostgreSQL 17 server from the zonky binaries, with one database per service and a login role that owns
 * them. Data stays in {@code dataDir} across restarts.
 */
public final class PostgresServer implements AutoCloseable {

    /** One database per service; {@code order} is a reserved word, hence the suffix. */
    public static final List<String> DATABASES = List.of("order_db", "inventory_db", "payment_db", "shipping_db", "readmodel_db");
    public static final String USER = "sagashop";
    public static final String PASSWORD = "sagashop";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private PostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /** Starts (initialising {@code dataDir} on first use) and makes sure the role and every database exist. */
    public static PostgresServer start(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir.getParent());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(30))
                .setServerConfig("max_connections", "300")
                // Durability as in production: SagaShop's guarantees are about surviving crashes.
                .setServerConfig("fsync", "on")
                .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                .start();
        PostgresServer server = new PostgresServer(postgres, dataDir);
        try {
            server.createRoleAndDatabases();
        } catch (SQLException e) {
            server.close();
            throw new IOException("PostgreSQL started but the SagaShop databases could not be created: " + e.getMessage(), e);
        }
        return server;
    }

    public int port() {
        return postgres.getPort();
    }

    /** An admin connection source (superuser) to one database, for tests that inspect or reset state. */
    public DataSource adminDataSource(String database) {
        return postgres.getDatabase("postgres", database);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    private void createRoleAndDatabases() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            if (!exists(s, "select 1 from pg_roles where rolname = '" + USER + "'")) {
                s.execute("create role " + USER + " login password '" + PASSWORD + "'");
            }
            for (String db : DATABASES) {
                if (!exists(s, "select 1 from pg_database where datname = '" + db + "'")) {
                    s.execute("create database " + db + " owner " + USER);
                }
            }
        }
    }

    private static boolean exists(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            return rs.next();
        }
    }

    /** The postmaster's process id (from {@code postmaster.pid}), or -1 when it is not running. */
    public long pid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Stops the server and returns only once the postmaster process is gone. */
    @Override
    public void close() throws IOException {
        long pid = pid();
        postgres.close();
        ProcessHandle.of(pid).ifPresent(p -> {
            try {
                p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }
}
