package io.proxywatch.web;

import io.proxywatch.testkit.FreePort;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** With a password set, the page, its files and every /api/* answer 401 without it; /health stays open. */
class DashboardAccessTest {
    private static final String PASSWORD = "dash-pass-7f3a";
    private static final String SILENCE = "{\"rule\":\"sqli-*\",\"key\":\"203.0.113.9\",\"minutes\":5}";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    private static Main main;
    private static int port;

    @BeforeAll
    static void start() {
        port = FreePort.next();
        main = WebMains.of(dir, port, "proxywatch.dashboard.password", PASSWORD);
        main.start();
    }

    @AfterAll
    static void stop() {
        if (main != null) {
            main.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/assets/dashboard.js", "/assets/echarts.min.js", "/api/snapshot", "/api/history",
            "/api/events"})
    void withoutCredentialsEveryDashboardUrlIs401(String path) throws Exception {
        HttpResponse<String> r = get(path, null);
        assertThat(r.statusCode()).as(path).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(r.body()).doesNotContain("proxywatch</title>", "echarts", "\"traffic\"", "\"seconds\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/assets/dashboard.js", "/api/snapshot", "/api/history", "/api/events"})
    void aWrongPasswordIs401Too(String path) throws Exception {
        assertThat(get(path, basic("proxywatch", "not-it")).statusCode()).as(path).isEqualTo(401);
        assertThat(get(path, "Bearer not-it").statusCode()).as(path).isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/assets/dashboard.js", "/assets/dashboard.css", "/assets/echarts.min.js",
            "/api/snapshot", "/api/history"})
    void withTheCredentialsTheyAnswerWithTheSecurityHeaders(String path) throws Exception {
        HttpResponse<String> r = get(path, basic("proxywatch", PASSWORD));
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Security-Policy")).as(path)
                .hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'").contains("script-src 'self'")
                        .doesNotContain("unsafe-inline"));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
        assertThat(r.headers().map().keySet()).as(path + ": request headers are not echoed")
                .noneMatch(h -> h.equalsIgnoreCase("Authorization"));
        assertThat(get(path, "Bearer " + PASSWORD).statusCode()).as(path + " with a bearer token").isEqualTo(200);
    }

    @Test
    void theEventStreamOpensWithTheCredentials() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events"))
                .header("Authorization", basic("proxywatch", PASSWORD)).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
            String start = new String(in.readNBytes(64), StandardCharsets.UTF_8);
            assertThat(start).contains("event: history");
        }
    }

    @Test
    void silencingNeedsTheCredentialsAndTheCsrfHeader() throws Exception {
        assertThat(post(null, "1").statusCode()).as("no credentials").isEqualTo(401);
        assertThat(post(basic("proxywatch", PASSWORD), null).statusCode()).as("no X-Proxywatch header").isEqualTo(403);
        HttpResponse<String> ok = post(basic("proxywatch", PASSWORD), "1");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"rule\":\"sqli-*\"", "\"until\"");
        HttpResponse<String> bad = HTTP.send(request("/api/silence", basic("proxywatch", PASSWORD))
                .header("X-Proxywatch", "1").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"rule\":\"x\",\"key\":\"y\",\"minutes\":0}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("minutes");
    }

    /** platform-http copies query parameters into the message's headers: they must not pass for the request's. */
    @Test
    void queryParametersDoNotPassForHeaders() throws Exception {
        String bearer = java.net.URLEncoder.encode("Bearer " + PASSWORD, StandardCharsets.UTF_8);
        assertThat(get("/api/snapshot?Authorization=" + bearer, null).statusCode()).isEqualTo(401);
        assertThat(get("/metrics?Authorization=" + bearer, null).statusCode()).isEqualTo(401);
        HttpResponse<String> forged = HTTP.send(request("/api/silence?X-Proxywatch=1", basic("proxywatch", PASSWORD))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SILENCE)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
    }

    /** What a cross-site form can send (text/plain) or a browser says is cross-site is refused. */
    @Test
    void aCrossSiteSilenceIsRefused() throws Exception {
        assertThat(silence("Content-Type", "text/plain").statusCode()).isEqualTo(403);
        assertThat(silence("Content-Type", "application/json", "Origin", "http://evil.example").statusCode())
                .isEqualTo(403);
        assertThat(silence("Content-Type", "application/json", "Sec-Fetch-Site", "cross-site").statusCode())
                .isEqualTo(403);
        assertThat(silence("Content-Type", "application/json", "Origin", "http://127.0.0.1:" + port,
                "Sec-Fetch-Site", "same-origin").statusCode()).isEqualTo(200);
    }

    /** With a password, a reverse proxy's public name is served: a rebound page could not get in without it. */
    @Test
    void withAPasswordAnyHostNameIsServed() throws Exception {
        assertThat(rawStatus("pw.example.com", port)).isEqualTo(200);
    }

    /** Behind a proxy that rewrites Host, the browser's Sec-Fetch-Site or X-Forwarded-Host vouch for the page. */
    @Test
    void theDashboardsOwnPageBehindAReverseProxyMaySilence() throws Exception {
        assertThat(silence("Content-Type", "application/json", "Origin", "https://pw.example.com",
                "Sec-Fetch-Site", "same-origin").statusCode()).isEqualTo(200);
        assertThat(silence("Content-Type", "application/json", "Origin", "https://pw.example.com",
                "X-Forwarded-Host", "pw.example.com").statusCode()).isEqualTo(200);
        assertThat(silence("Content-Type", "application/json", "Origin", "https://pw.example.com").statusCode())
                .isEqualTo(403);
    }

    private static HttpResponse<String> silence(String... headers) throws Exception {
        return HTTP.send(request("/api/silence", basic("proxywatch", PASSWORD)).header("X-Proxywatch", "1")
                .headers(headers).POST(HttpRequest.BodyPublishers.ofString(SILENCE)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The status of GET /api/snapshot sent with this Host header (which java.net.http will not let us set). */
    static int rawStatus(String host, int port) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/snapshot HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: "
                    + basic("proxywatch", PASSWORD) + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void healthStaysOpenForProbes() throws Exception {
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
        for (String path : new String[] {"/health", "/health/live", "/health/ready"}) {
            HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).as("HEAD " + path).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    private static HttpResponse<String> post(String authorization, String csrf) throws Exception {
        HttpRequest.Builder b = request("/api/silence", authorization).header("Content-Type", "application/json");
        if (csrf != null) {
            b.header("X-Proxywatch", csrf);
        }
        return HTTP.send(b.POST(HttpRequest.BodyPublishers.ofString(SILENCE)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        if (path.equals("/api/events")) {
            // the stream stays open when let in: read only the status and headers
            HttpResponse<InputStream> r = HTTP.send(request(path, authorization).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                String body = r.statusCode() == 200 ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new FixedResponse(r, body);
            }
        }
        return HTTP.send(request(path, authorization).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A streamed response with the part of its body that was read. */
    private record FixedResponse(HttpResponse<InputStream> r, String body) implements HttpResponse<String> {
        public int statusCode() { return r.statusCode(); }
        public HttpRequest request() { return r.request(); }
        public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        public java.net.http.HttpHeaders headers() { return r.headers(); }
        public URI uri() { return r.uri(); }
        public HttpClient.Version version() { return r.version(); }
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return r.sslSession(); }
    }
}
