package io.proxywatch.e2e;

import io.proxywatch.testkit.FreePort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver; Selenium never downloads a
 * browser or a driver): the page loads from the jar with no network beyond 127.0.0.1, its charts draw the traffic of
 * the log this test writes, an incident shows in the alert feed within 2 s of opening, silencing it from the page
 * works, and a log line carrying markup shows as text and runs nothing. The screenshot is kept in
 * {@code target/screenshots/dashboard.png}.
 */
class DashboardIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ATTACKER = "203.0.113.66";
    private static final String XSS_PATH = "/<img src=x onerror=\"window.__pwned=1\">";
    private static final String XSS_UA = "<script>window.__pwned=1</script>";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private ChromeDriver browser;
    private final ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        traffic.shutdownNow();
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theDashboardShowsTheLogLiveAndLogTextNeverRunsAsMarkup() throws Exception {
        requireChromium();
        Path log = Files.createDirectories(dir.resolve("logs")).resolve("access.log");
        AtomicInteger seq = new AtomicInteger();
        append(log, normalTraffic(seq, 40));
        int port = FreePort.next();
        String base = "http://127.0.0.1:" + port;
        try (JarProcess jar = JarProcess.builder("dashboard").workDir(dir)
                .property("proxywatch.input.paths", dir.resolve("logs") + "/*.log")
                .property("proxywatch.input.start-at", "beginning")
                .property("proxywatch.dashboard.port", port)
                .property("proxywatch.alert.group-wait-ms", 300)
                .start()) {
            await("the dashboard API to count the log's requests").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!jar.isAlive()) {
                            throw new AssertionError("proxywatch exited: " + jar.describeOutput());
                        }
                        String s = getOrNull(base + "/api/snapshot");
                        return s != null && !s.contains("\"requests\":0,");
                    });
            // a steady trickle, so every second of the charts has something
            traffic.scheduleAtFixedRate(() -> {
                try {
                    append(log, normalTraffic(seq, 5));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, 0, 200, TimeUnit.MILLISECONDS);

            browser = chromium();
            browser.get(base + "/");
            assertThat(browser.getTitle()).isEqualTo("proxywatch");
            await("the QPS chart to draw the log's traffic").atMost(Duration.ofSeconds(15))
                    .until(() -> number(js("""
                            const c = echarts.getInstanceByDom(document.getElementById('chart-qps'));
                            const s = c && c.getOption().series[0];
                            return s ? s.data.filter(p => p[1] > 0).length : 0;""")) > 0);
            await("the latency chart to draw P99").atMost(Duration.ofSeconds(5))
                    .until(() -> number(js("""
                            const s = echarts.getInstanceByDom(document.getElementById('chart-latency')).getOption().series;
                            return s.length === 3 ? s[2].data.filter(p => p[1] > 0).length : 0;""")) > 0);
            await("the status-code mix").atMost(Duration.ofSeconds(5))
                    .until(() -> String.valueOf(js("""
                            return JSON.stringify(echarts.getInstanceByDom(document.getElementById('chart-status'))
                                .getOption().xAxis[0].data);""")).contains("404"));
            await("the top paths").atMost(Duration.ofSeconds(5))
                    .until(() -> text("#top-paths").contains("/api/orders"));
            assertThat(text("#connection")).isEqualTo("live");

            // an attack, after the page loaded: its path and user agent are markup that must stay text
            append(log, line(ATTACKER, "GET", XSS_PATH, 404, 3.0, XSS_UA));
            await("the incident to open").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> String.valueOf(getOrNull(base + "/api/snapshot")).contains("\"key\":\"" + ATTACKER + "\""));
            Instant open = Instant.now();
            await("the incident in the page's alert feed within 2 s of opening").atMost(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> text("#alerts").contains(ATTACKER));
            System.out.println("DashboardIT: incident shown " + Duration.between(open, Instant.now()).toMillis()
                    + " ms after the API had it");

            await("the markup path in the top 404 paths, as text").atMost(Duration.ofSeconds(5))
                    .until(() -> text("#top-404").contains(XSS_PATH));
            assertThat(text("#alerts")).contains(XSS_PATH);
            assertThat(String.valueOf(js("return document.querySelector('#alerts pre.evidence').textContent;")))
                    .contains(XSS_UA);
            assertThat(js("return typeof window.__pwned;")).as("script from a log line ran").isEqualTo("undefined");
            assertThat(number(js("return document.querySelectorAll('main img, main script, main [onerror]').length;")))
                    .as("elements made from log text").isZero();

            // silence the incident from the page: the POST goes through web-access and the CSRF header
            // rows are redrawn every second: find and click in one script, not across two driver calls
            assertThat(js("""
                    for (const tr of document.querySelectorAll('#alerts tbody tr')) {
                      const button = tr.querySelector('.silence button');
                      if (tr.innerText.includes(arguments[0]) && button) { button.click(); return true; }
                    }
                    return false;""", ATTACKER)).as("a Silence button on the incident's row").isEqualTo(true);
            await("the incident silenced").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> String.valueOf(getOrNull(base + "/api/snapshot"))
                            .matches("(?s).*\"key\":\"" + ATTACKER.replace(".", "\\.") + "\".*?\"silenced_until\":\"20.*"));
            await("the page to show it silenced").atMost(Duration.ofSeconds(3))
                    .until(() -> text("#alerts").contains("silenced"));

            screenshot();
            assertThat(browserErrors()).as("console errors (a CSP violation shows here)").isEmpty();
            assertThat(js("return typeof window.__pwned;")).isEqualTo("undefined");
        }
    }

    /** Chromium from the OS packages; missing, the test fails saying how to install it (it is never skipped). */
    private static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("DashboardIT needs Chromium and its driver: " + CHROMIUM + " and " + CHROMEDRIVER
                    + " must exist. Install them with `apt-get install -y chromium chromium-driver` (.ci/run does).");
        }
    }

    private ChromeDriver chromium() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1600,1550",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // the driver is named, so Selenium Manager never looks for (or downloads) one
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(JarProcess.logDir().resolve("chromedriver.log").toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    private List<String> browserErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    private void screenshot() throws IOException {
        Path dirOut = JarProcess.logDir().getParent().resolve("screenshots");
        Files.createDirectories(dirOut);
        Path png = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, dirOut.resolve("dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }

    private String text(String css) {
        return String.valueOf(js("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css));
    }

    private static String getOrNull(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String normalTraffic(AtomicInteger seq, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int k = seq.incrementAndGet();
            String path = k % 7 == 0 ? "/missing/" + (k % 3) : (k % 2 == 0 ? "/api/orders" : "/api/users/" + (k % 5));
            int status = k % 7 == 0 ? 404 : (k % 29 == 0 ? 502 : 200);
            sb.append(line("10.0.0." + (k % 6 + 1), "GET", path, status, 2.0 + (k % 40), "Mozilla/5.0"));
        }
        return sb.toString();
    }

    private static String line(String ip, String method, String path, int status, double latencyMs, String ua) {
        return "{\"timestamp\":\"" + Instant.now() + "\",\"level\":\"info\",\"service\":\"gateway\",\"client_ip\":\""
                + ip + "\",\"method\":\"" + method + "\",\"path\":\"" + json(path) + "\",\"status\":" + status
                + ",\"latency_ms\":" + latencyMs + ",\"user_agent\":\"" + json(ua) + "\"}\n";
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static synchronized void append(Path log, String text) throws IOException {
        Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
