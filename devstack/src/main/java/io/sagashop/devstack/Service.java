package io.sagashop.devstack;

import java.util.List;

/** The SagaShop applications the devstack runs, with their module folder and default HTTP port. */
public enum Service {
    SANDBOX("sandbox", 8089, null),
    ORDER("order", 8081, "order_db"),
    INVENTORY("inventory", 8082, "inventory_db"),
    PAYMENT("payment", 8083, "payment_db"),
    SHIPPING("shipping", 8084, "shipping_db"),
    READ_MODEL("read-model", 8085, "readmodel_db");

    /** The five saga services (everything but the sandbox), in start order. */
    public static final List<Service> SAGA_SERVICES = List.of(ORDER, INVENTORY, PAYMENT, SHIPPING, READ_MODEL);

    private final String module;
    private final int defaultPort;
    private final String database;

    Service(String module, int defaultPort, String database) {
        this.module = module;
        this.defaultPort = defaultPort;
        this.database = database;
    }

    public String module() {
        return module;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The service's own database, or null (the sandbox has none). */
    public String database() {
        return database;
    }

    public static Service byModule(String module) {
        for (Service s : values()) {
            if (s.module.equals(module)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no service named " + module);
    }
}
