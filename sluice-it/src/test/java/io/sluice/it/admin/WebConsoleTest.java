package io.sluice.it.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.testkit.EmbeddedSluice;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web console in headless Chromium, driven by Selenium: the page loads from the broker, a stream and a queue
 * created through the admin API appear, figures update after publishing, and a dead-lettered message is inspected
 * and redriven from the page.
 *
 * <p>Needs the Debian packages chromium and chromium-driver. Without them the test is skipped, except on CI
 * (environment variable CI set), where a missing browser is a failure.
 */
class WebConsoleTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private EmbeddedSluice sluice;
    private WebDriver driver;
    private Path profile;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(present, "chromium and chromium-driver are not installed "
                    + "(apt-get install -y chromium chromium-driver)");
        } else {
            assertThat(present).as("CI must install chromium and chromium-driver (.ci/install-tools)").isTrue();
        }
        sluice = EmbeddedSluice.builder().set("http.port", "random").set("admin.refresh.ms", "500").start();
        profile = Files.createTempDirectory("sluice-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
    }

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (sluice != null) {
            sluice.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sluice.httpUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String cell(String table, String rowAttr, String rowValue, String cssClass) {
        List<WebElement> rows = driver.findElements(By.cssSelector(table + " tbody tr[" + rowAttr + "='"
                + rowValue + "'] td." + cssClass));
        return rows.isEmpty() ? null : rows.get(0).getText();
    }

    /** Clicks an element of a table the page re-renders every refresh: a click between renders may hit a stale one. */
    private void clickRerendered(By by) {
        await().ignoreException(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() -> {
            driver.findElement(by).click();
            return true;
        });
    }

    @Test
    void overviewStreamsQueuesAndDeadLetterRedrive() throws Exception {
        driver.get(sluice.httpUrl() + "/console/index.html");
        assertThat(driver.getTitle()).isEqualTo("Sluice console");
        await().ignoreException(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() ->
                driver.findElement(By.id("health")).getText().equals("UP"));
        await().ignoreException(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() ->
                !driver.findElements(By.cssSelector("#overview-cards .card")).isEmpty());

        assertThat(post("/api/v1/streams", "{\"name\":\"clicks\",\"partitions\":1}").statusCode()).isEqualTo(201);
        sluice.broker().streams().partition(CallContext.DEFAULT, "clicks", 0)
                .publish(List.of(Message.of(null, "a".getBytes(StandardCharsets.UTF_8)),
                        Message.of(null, "b".getBytes(StandardCharsets.UTF_8)))).join();
        driver.findElement(By.cssSelector("nav a[data-view='streams']")).click();
        await().ignoreException(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() ->
                driver.findElements(By.cssSelector("#streams-table tbody tr[data-stream='clicks']")).size() == 1);
        await().ignoreException(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() -> driver.findElement(By.cssSelector(
                "#streams-table tbody tr[data-stream='clicks'] td:nth-child(4)")).getText().equals("2"));

        HttpResponse<String> dlq = post("/api/v1/queues", "{\"name\":\"dlq.work\"}");
        assertThat(dlq.statusCode()).isEqualTo(201);
        assertThat(post("/api/v1/queues", "{\"name\":\"work\",\"arguments\":{\"deadLetterExchange\":\"\","
                + "\"deadLetterRoutingKey\":\"dlq.work\"}}").statusCode()).isEqualTo(201);

        driver.findElement(By.cssSelector("nav a[data-view='queues']")).click();
        await().ignoreException(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() -> "0".equals(cell("#queues-table", "data-queue", "work",
                "depth")));
        for (int i = 0; i < 3; i++) {
            assertThat(post("/api/v1/queues/work/messages", "{\"body\":\"job-" + i + "\"}").statusCode())
                    .isEqualTo(201);
        }
        await().ignoreException(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() -> "3".equals(cell("#queues-table", "data-queue", "work",
                "depth")));

        // A consumer rejects one message without requeue: the engine dead-letters it to dlq.work.
        DeliveryGroup work = sluice.broker().queues().consumers(CallContext.DEFAULT, "work");
        List<Delivery> got = work.fetch("test", 1, 1000, false).join();
        assertThat(got).hasSize(1);
        work.nack(List.of(got.get(0).offset()), false, 0).join();
        String body = new String(got.get(0).message().value(), StandardCharsets.UTF_8);

        driver.findElement(By.cssSelector("nav a[data-view='deadletters']")).click();
        await().ignoreException(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() -> "1".equals(cell("#dlq-table", "data-queue", "dlq.work",
                "depth")));
        clickRerendered(By.cssSelector("#dlq-table button.inspect[data-queue='dlq.work']"));
        await().ignoreException(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() -> driver.findElements(
                By.cssSelector("#dlq-messages tbody td.body")).stream().anyMatch(e -> e.getText().equals(body)));

        driver.findElement(By.id("redrive-button")).click();
        await().ignoreException(StaleElementReferenceException.class).atMost(Duration.ofSeconds(15)).until(() ->
                driver.findElement(By.id("redrive-status")).getText().contains("COMPLETED"));
        assertThat(driver.findElement(By.id("redrive-status")).getText()).contains("moved 1");
        await().ignoreException(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() -> "0".equals(cell("#dlq-table", "data-queue", "dlq.work",
                "depth")));
        assertThat(sluice.broker().queues().describe(CallContext.DEFAULT, "work").orElseThrow().messages())
                .isEqualTo(3);
    }

    @Test
    void connectionsPageListsAnOpenClientAndClosesIt() throws Exception {
        try (io.nats.client.Connection nats = io.nats.client.Nats.connect(new io.nats.client.Options.Builder()
                .server(sluice.natsUrl()).connectionName("console-client").connectionTimeout(Duration.ofSeconds(30))
                .noReconnect().build())) {
            nats.flush(Duration.ofSeconds(10));
            driver.get(sluice.httpUrl() + "/console/index.html#connections");
            await().ignoreException(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() ->
                    driver.findElements(By.cssSelector("#connections-table tbody td.client")).stream()
                            .anyMatch(e -> e.getText().equals("console-client")));
            WebElement row = driver.findElements(By.cssSelector("#connections-table tbody tr")).stream()
                    .filter(r -> r.getText().contains("console-client")).findFirst().orElseThrow();
            String id = row.getAttribute("data-connection");
            assertThat(cell("#connections-table", "data-connection", id, "protocol")).isEqualTo("nats");
            assertThat(cell("#connections-table", "data-connection", id, "remote")).startsWith("127.0.0.1:");
            assertThat(Long.parseLong(cell("#connections-table", "data-connection", id, "received"))).isPositive();

            // Filtering by another protocol hides it.
            new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("connections-protocol")))
                    .selectByValue("kafka");
            await().ignoreException(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() ->
                    driver.findElements(By.cssSelector("#connections-table tbody tr")).isEmpty());
            new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("connections-protocol")))
                    .selectByValue("nats");
            await().ignoreException(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() ->
                    driver.findElements(By.cssSelector("#connections-table tbody tr[data-connection='" + id + "']"))
                            .size() == 1);

            // Close it from the page (after the confirmation dialog): the client is disconnected.
            clickRerendered(By.cssSelector("#connections-table button.close-connection[data-connection='" + id
                    + "']"));
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                driver.switchTo().alert().accept();
                return true;
            });
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    nats.getStatus() == io.nats.client.Connection.Status.CLOSED);
            await().ignoreException(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() ->
                    driver.findElements(By.cssSelector("#connections-table tbody tr[data-connection='" + id + "']"))
                            .isEmpty());
        }
    }
}
