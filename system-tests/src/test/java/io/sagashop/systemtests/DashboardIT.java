package io.sagashop.systemtests;

import io.sagashop.devstack.Devstack;
import io.sagashop.devstack.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The read model's dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}):
 * an order placed through the API appears on the open page and turns COMPLETED without a reload, and its saga
 * timeline is drawn across the services. Screenshots go to {@code system-tests/target/dashboard-*.png}.
 * Without a browser the test is skipped, unless {@code SAGASHOP_REQUIRE_BROWSER} is set (CI sets it): then it fails.
 */
class DashboardIT {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("SAGASHOP_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("SAGASHOP_CHROMEDRIVER", "/usr/bin/chromedriver"));

    static Devstack stack;
    static SagaClient client;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && System.getenv("SAGASHOP_REQUIRE_BROWSER") != null) {
            fail("no browser: install Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + ")");
        }
        assumeTrue(present, "dashboard test skipped: no " + CHROMIUM + " / " + CHROMEDRIVER
                + " (apt-get install chromium chromium-driver)");
        // The default 30 s deadline: this test is about the page, not the TIMEOUT path, and a cold stack on a busy
        // machine can take longer than the path tests' 8 s for its first orders.
        stack = Devstack.start(SystemTests.options(Files.createTempDirectory(Path.of("target"), "dashboard-it-"), 13000, "30s"));
        client = new SagaClient(stack);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1440,1700");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void anOrderAppearsAndTurnsCompletedLiveAndItsTimelineIsDrawn() throws Exception {
        client.product("DASH-MUG", "Dashboard mug", "12.50", 100);
        // Without a token the page asks for one.
        browser.get(client.url(Service.READ_MODEL) + "/");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> b.findElement(By.id("signin")).isDisplayed());
        // The link ./sagashop up prints signs in as admin (the token in the fragment, which no server sees), and the
        // token leaves the address bar.
        browser.get(client.url(Service.READ_MODEL) + "/#token=" + stack.adminToken());
        // Generous: a cold stack on a loaded two-core machine took over 30 s to show the first order once.
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(b -> b.findElement(By.id("live")).getText().equals("live"));

        String order = client.place("DASH-MUG", 2, "tok_visa", "DE");
        By row = By.cssSelector("tr[data-order-id='" + order + "']");
        until(wait, order, b -> !b.findElements(row).isEmpty());
        screenshot("dashboard-1-placed");
        until(wait, order, b -> b.findElement(row).findElement(By.cssSelector(".status")).getText().equals("COMPLETED"));
        // The stuck-saga line is there, and nothing is stuck.
        until(wait, order, b -> b.findElement(By.id("stat-stuck")).getText().equals("0"));

        String declined = client.place("DASH-MUG", 1, "tok_decline", "DE");
        By declinedRow = By.cssSelector("tr[data-order-id='" + declined + "']");
        until(wait, declined, b -> !b.findElements(declinedRow).isEmpty()
                && b.findElement(declinedRow).findElement(By.cssSelector(".status")).getText().equals("CANCELLED"));

        // No reload happened: the same page that was opened before the orders existed shows them.
        assertEquals(Boolean.TRUE, ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return performance.getEntriesByType('navigation').length === 1"));
        assertFalse(browser.getCurrentUrl().contains("token="), "the token left the address bar: " + browser.getCurrentUrl());
        assertTrue(browser.findElement(By.id("who")).getText().startsWith("admin"), browser.findElement(By.id("who")).getText());

        browser.findElement(row).click();
        wait.until(b -> order.equals(b.findElement(By.id("timeline")).getAttribute("data-order-id")));
        List<WebElement> steps = browser.findElements(By.cssSelector("#timeline .step"));
        assertEquals(List.of("OrderPlaced", "InventoryReserved", "OrderReserved", "PaymentCaptured", "OrderPaid",
                "ShipmentScheduled", "OrderCompleted"), steps.stream().map(s -> s.getAttribute("data-event")).toList());
        assertEquals(List.of("order", "inventory", "order", "payment", "order", "shipping", "order"),
                steps.stream().map(s -> s.getAttribute("data-service")).toList());
        screenshot("dashboard-2-completed");

        browser.findElement(declinedRow).click();
        wait.until(b -> declined.equals(b.findElement(By.id("timeline")).getAttribute("data-order-id")));
        List<String> compensations = browser.findElements(By.cssSelector("#timeline .step.compensation")).stream()
                .map(s -> s.getAttribute("data-event")).toList();
        assertTrue(compensations.containsAll(List.of("OrderCancellationRequested", "InventoryReleased", "PaymentRefunded",
                "ShipmentCancelled", "OrderCancelled")), "compensation steps drawn as such: " + compensations);
        assertTrue(browser.findElements(By.cssSelector("#timeline .step[data-event='PaymentDeclined'].compensation")).isEmpty());
        screenshot("dashboard-3-compensation");

        // A customer sees their own orders only, live, and no statistics (they cover everyone).
        browser.get(client.url(Service.READ_MODEL) + "/#token=" + stack.token("customer-2"));
        until(wait, order, b -> b.findElement(By.id("live")).getText().equals("live"));
        assertTrue(browser.findElement(By.id("who")).getText().contains("customer-2"));
        String theirs = client.placeFor("customer-2", "DASH-MUG", 1);
        until(wait, theirs, b -> !b.findElements(By.cssSelector("tr[data-order-id='" + theirs + "']")).isEmpty());
        assertTrue(browser.findElements(row).isEmpty(), "customer-1's order is not on customer-2's page");
        assertFalse(browser.findElement(By.cssSelector(".stats")).isDisplayed());
        screenshot("dashboard-4-customer");
    }

    /** Waits for the page; when it does not get there, the failure says where the order is on the services' side. */
    private static void until(WebDriverWait wait, String orderId, java.util.function.Function<WebDriver, Boolean> condition) throws Exception {
        try {
            wait.until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("dashboard-timeout");
            String order;
            String view;
            try {
                order = client.order(orderId).prettify();
                io.restassured.path.json.JsonPath doc = client.view(orderId);
                view = doc == null ? "404" : doc.prettify();
            } catch (RuntimeException | AssertionError unreadable) {
                order = view = "unreadable: " + unreadable;
            }
            fail("the page did not get there for order " + orderId + " (live: " + browser.findElement(By.id("live")).getText()
                    + "); the order service says " + order + "; the read model says " + view, e);
        }
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(target) > 10_000, "a real screenshot: " + target);
    }
}
