package io.sagashop.systemtests;

import io.sagashop.devstack.ChildProcess;
import io.sagashop.devstack.Devstack;
import io.sagashop.devstack.Service;
import io.sagashop.devstack.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The whole devstack from the packaged jars: PostgreSQL, the Kafka broker, the sandbox and the five services,
 * on ports shifted by 10000 so that a developer's own {@code ./sagashop up} can keep running meanwhile.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevstackIT {

    static final int OFFSET = 10000;
    static Devstack stack;
    static Path dataDir;

    @BeforeAll
    static void startEverything() throws Exception {
        dataDir = Files.createTempDirectory(Path.of("target"), "devstack-it-");
        stack = Devstack.start(SystemTests.options(dataDir, OFFSET));
    }

    @AfterAll
    static void stopEverything() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void everyServiceIsLiveAndReady() {
        assertEquals(6, stack.services().size());
        for (ServiceProcess s : stack.services()) {
            given().get(s.url() + "/q/health/live").then().statusCode(200).body("status", is("UP"));
            given().get(s.url() + "/q/health/ready").then().statusCode(200).body("status", is("UP"));
            System.out.printf("%s ready after %d ms%n", s.service().module(), s.lastStartup().toMillis());
        }
    }

    @Test
    @Order(1)
    void everyServiceStartsFromItsClassArchive() throws IOException {
        for (ServiceProcess s : stack.services()) {
            Path archive = SystemTests.ROOT.resolve(s.service().module()).resolve("target/quarkus-app/app-cds.jsa");
            assertTrue(Files.isRegularFile(archive), "the package made no class archive: " + archive);
            // The JVM says so on its output, which goes to the log, when it cannot map the archive (and then starts
            // without it, ~0.4 s slower).
            String log = Files.readString(s.process().logFile());
            assertFalse(log.contains("Unable to use shared archive"), s.service().module() + " ignored its class archive; see " + s.process().logFile());
        }
    }

    @Test
    @Order(2)
    void readinessTurnsDownWithoutTheBrokerAndUpWhenItReturns() throws Exception {
        stack.broker().stop();
        try {
            for (Service s : Service.SAGA_SERVICES) {
                ServiceProcess service = stack.service(s);
                await(s + " not ready without Kafka").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> service.health("ready") == 503);
                // A missing broker must not make an orchestrator restart the service: liveness stays UP.
                assertEquals(200, service.health("live"), s + " liveness");
            }
        } finally {
            stack.broker().start(Duration.ofSeconds(60));
        }

        for (Service s : Service.SAGA_SERVICES) {
            ServiceProcess service = stack.service(s);
            await(s + " ready again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> service.health("ready") == 200);
        }
    }

    @Test
    @Order(3)
    void aServiceStartedBeforeItsDatabaseWaitsForItInsteadOfExiting() throws Exception {
        // kind applies everything at once: a service may start while PostgreSQL is still initialising.
        ServiceProcess inventory = stack.service(Service.INVENTORY);
        inventory.stop();
        stack.stopPostgres();
        try {
            inventory.start();
            Thread.sleep(8000);
            assertTrue(inventory.isRunning(), "inventory waits for its database instead of exiting:\n" + inventory.process().tail(15));
            assertNotEquals(200, inventory.health("ready"));
        } finally {
            stack.startPostgres();
        }
        inventory.awaitReady(Duration.ofSeconds(90));
    }

    @Test
    @Order(3)
    void aKilledServiceCanBeRevived() throws Exception {
        ServiceProcess payment = stack.service(Service.PAYMENT);
        long before = payment.process().pid();

        payment.kill();
        assertFalse(payment.isRunning());
        assertEquals(-1, payment.health("live"));

        stack.startServices(List.of(Service.PAYMENT));
        assertNotEquals(before, payment.process().pid());
        assertEquals(200, payment.health("ready"));
    }

    @Test
    @Order(4)
    void stoppingLeavesNoProcessAndNoPortBehindAndTheDataSurvives() throws Exception {
        try (Connection c = stack.postgres().adminDataSource("inventory_db").getConnection()) {
            c.createStatement().execute("create table devstack_it_marker (note text)");
            c.createStatement().execute("insert into devstack_it_marker values ('still here')");
        }
        List<Long> pids = new ArrayList<>();
        stack.runningChildren().stream().map(ChildProcess::pid).forEach(pids::add);
        pids.add(stack.postgres().pid());
        assertEquals(8, pids.size(), "six services, the broker and PostgreSQL: " + pids);

        stack.close();

        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    () -> "process " + pid + " survived: " + ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("?"));
        }
        for (int port : List.of(stack.ports().kafka(), stack.ports().postgres(), stack.ports().services().get(Service.ORDER),
                stack.ports().services().get(Service.SANDBOX))) {
            assertTrue(portFree(port), "port " + port + " still taken");
        }

        // A second start on the same data directory still has the data (infrastructure only, to be quick).
        stack = Devstack.start(SystemTests.options(dataDir, OFFSET).withServices(false));
        try (Connection c = stack.postgres().adminDataSource("inventory_db").getConnection();
             ResultSet rs = c.createStatement().executeQuery("select note from devstack_it_marker")) {
            assertTrue(rs.next());
            assertEquals("still here", rs.getString(1));
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
