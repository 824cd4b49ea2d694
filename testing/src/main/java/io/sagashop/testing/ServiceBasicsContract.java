package io.sagashop.testing;

import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every saga service must offer from its first day: health that really checks its database and Kafka,
 * metrics, OpenAPI, Swagger UI, and a schema built by Flyway. A service's test extends this with
 * {@code @QuarkusTest @WithTestResource(SagaShopTestResources.class)}.
 */
public abstract class ServiceBasicsContract {

    /** The service's own database, e.g. {@code order_db}. */
    protected abstract String database();

    @Test
    void readinessChecksTheDatabaseAndTheBroker() {
        // Ready once the service's consumers hold their partitions too: a moment after the application started.
        org.awaitility.Awaitility.await("ready").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem(containsStringIgnoringCase("postgresql")))
                .body("checks.name", hasItem(containsStringIgnoringCase("kafka")))
                .body("checks.name", hasItem("Kafka consumers"));
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void servesPrometheusMetricsOpenApiAndSwaggerUi() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().accept("application/json").get("/q/openapi").then().statusCode(200).body("openapi", startsWith("3."));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void flywayCreatedTheMessagingTablesInTheServicesOwnDatabase() throws SQLException {
        DataSource db = SagaShopTestResources.postgres().adminDataSource(database());
        List<String> tables = new ArrayList<>();
        try (Connection c = db.getConnection();
             ResultSet rs = c.createStatement().executeQuery(
                     "select table_name from information_schema.tables where table_schema = 'public'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        assertTrue(tables.containsAll(List.of("events", "outbox", "inbox", "flyway_schema_history")), "tables in " + database() + ": " + tables);
    }
}
