package io.proxywatch.web;

import io.proxywatch.config.ConfigError;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A dashboard port another program holds (Traefik's dashboard takes 8080 too) stops start-up, naming the port. */
class DashboardPortTest {
    @TempDir
    Path dir;

    @Test
    void aPortInUseStopsStartUp() throws Exception {
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Main main = WebMains.of(dir, other.getLocalPort());
            Throwable t = catchThrowable(main::start);
            main.stop();
            ConfigError e = null;
            for (Throwable c = t; c != null && e == null; c = c.getCause()) {
                e = c instanceof ConfigError config ? config : null;
            }
            assertThat(e).as(String.valueOf(t)).isNotNull();
            assertThat(e.getMessage()).contains("proxywatch.dashboard.port " + other.getLocalPort()).contains("not free");
        }
    }
}
