package io.proxywatch.pipeline;

import io.proxywatch.health.Health;
import io.proxywatch.testkit.FreePort;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** proxywatch.dashboard.enabled=false: no HTTP server at all, and everything else runs as before. */
class DashboardOffTest {
    @TempDir
    Path dir;

    private InProcessPipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void theWebRoutesStayDownAndTheLinesStillFlow() throws Exception {
        int port = FreePort.next();
        InProcessPipeline.append(dir, "app.log", "{\"level\":\"warn\",\"msg\":\"disk 91%\",\"trace_id\":\"t1\"}\n");
        pipeline = InProcessPipeline.start(dir, "proxywatch.dashboard.enabled", "false",
                "proxywatch.dashboard.port", String.valueOf(port));
        assertThat(pipeline.main().getCamelContext().getStatus()).isEqualTo(ServiceStatus.Started);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> InProcessPipeline.jsonLines(dir, "warn.log").size() == 1);
        for (String id : new String[] {"web-health", "web-metrics", "dashboard-page", "dashboard-snapshot"}) {
            assertThat(pipeline.main().getCamelContext().getRouteController().getRouteStatus(id))
                    .as(id).isNotEqualTo(ServiceStatus.Started);
        }
        // they are off on purpose: readiness does not count them as routes down
        Health health = pipeline.bean("health", Health.class);
        assertThat(health.ready().status()).as(health.ready().body()).isEqualTo(200);
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        }).isInstanceOf(ConnectException.class);
    }
}
