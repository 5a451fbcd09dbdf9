package io.proxywatch.pipeline;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs against the in-process pipeline's HTTP port (dashboard, /metrics, /health). */
final class WebClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    WebClient(InProcessPipeline pipeline) {
        this.port = Integer.parseInt(pipeline.main().getCamelContext().getPropertiesComponent()
                .resolveProperty("proxywatch.dashboard.port").orElseThrow());
    }

    /** GET {@code path} with optional header name/value pairs. */
    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
