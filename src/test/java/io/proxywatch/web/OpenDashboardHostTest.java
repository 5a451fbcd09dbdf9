package io.proxywatch.web;

import io.proxywatch.testkit.FreePort;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a password the dashboard listens on loopback only, and answers only requests naming a loopback host: a
 * page of another site whose name was rebound to 127.0.0.1 (DNS rebinding) would be same-origin to the browser.
 */
class OpenDashboardHostTest {
    @TempDir
    static Path dir;
    private static Main main;
    private static int port;

    @BeforeAll
    static void start() {
        port = FreePort.next();
        main = WebMains.of(dir, port);
        main.start();
    }

    @AfterAll
    static void stop() {
        if (main != null) {
            main.stop();
        }
    }

    @Test
    void aRequestNamingAnotherHostIsRefused() throws Exception {
        assertThat(DashboardAccessTest.rawStatus("rebind.attacker.example:" + port, port)).isEqualTo(421);
        assertThat(DashboardAccessTest.rawStatus("localhost:" + port, port)).isEqualTo(200);
        assertThat(DashboardAccessTest.rawStatus("127.0.0.1:" + port, port)).isEqualTo(200);
        assertThat(DashboardAccessTest.rawStatus("[::1]:" + port, port)).isEqualTo(200);
    }
}
