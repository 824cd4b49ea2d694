package io.sagashop.systemtests;

import io.sagashop.devstack.Devstack;

import java.nio.file.Path;
import java.util.Map;

/** Shared settings of the system tests. */
final class SystemTests {

    /** The project root (set by Maven; the module folder's parent otherwise). */
    static final Path ROOT = Path.of(System.getProperty("sagashop.root", "..")).toAbsolutePath().normalize();

    private SystemTests() {
    }

    /** The admin token of the stack under test; sent by every REST Assured request that names no other. */
    private static volatile String admin;

    static {
        io.restassured.RestAssured.filters((request, response, context) -> {
            if (admin != null && !request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", admin);
            }
            return context.next(request, response);
        });
    }

    /** From now on, requests that name no {@code Authorization} send this one (an admin's of the stack under test). */
    static void actAs(String authorization) {
        admin = authorization;
    }

    /** Saga deadline of the path tests: short, so that the TIMEOUT path runs in seconds. */
    static final String SHORT_DEADLINE = "8s";

    static Devstack.Options options(Path dataDir, int portOffset) {
        return options(dataDir, portOffset, SHORT_DEADLINE);
    }

    static Devstack.Options options(Path dataDir, int portOffset, String deadline) {
        return Devstack.Options.defaults(ROOT).dataDir(dataDir).portOffset(portOffset).serviceEnv(Map.of(
                "SAGASHOP_SAGA_DEADLINE", deadline,
                // Long enough for the sandbox's 10-second tok_slow charge to succeed, so that the deadline (not the
                // payment timeout) ends that order: the TIMEOUT path then has a capture to refund.
                "IO_SAGASHOP_PAYMENT_PROVIDER_PAYMENTGATEWAY_CHARGE_TIMEOUT_VALUE", "12000"));
    }
}
