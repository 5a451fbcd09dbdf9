package io.proxywatch.config;

import io.proxywatch.web.WebAccess;
import org.apache.camel.CamelContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** The HTTP side (dashboard, /metrics, /health) from proxywatch.dashboard.*; part of {@link ProxywatchConfiguration}. */
final class WebWiring {
    private WebWiring() {
    }

    /** Binds webAccess and returns the banner line. */
    static String wire(CamelContext context, Settings s) {
        boolean enabled = s.bool("proxywatch.dashboard.enabled");
        String bind = s.string("proxywatch.dashboard.bind");
        int port = s.port("proxywatch.dashboard.port");
        String password = Secrets.read(s, "proxywatch.dashboard.password");
        boolean loopback = WebAccess.isLoopback(bind);
        WebAccess access = new WebAccess(s.string("proxywatch.dashboard.username"), password, loopback);
        if (enabled && !access.required() && !loopback) {
            throw Settings.bad("proxywatch.dashboard.bind", bind,
                    "the dashboard shows attacker addresses and log lines: listening beyond loopback needs "
                            + "proxywatch.dashboard.password (or -file)");
        }
        context.getRegistry().bind("webAccess", access);
        if (!enabled) {
            return "off (proxywatch.dashboard.enabled=false)";
        }
        requireFree(bind, port);
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        return "http://" + host + ":" + port + "/  (/metrics, /health; "
                + (access.required() ? "basic auth or bearer token" : "no auth: loopback only") + ")";
    }

    /**
     * Fails start-up when another program holds the port (Traefik's dashboard takes 8080 too): Camel's HTTP server
     * only logs that it could not bind, and proxywatch ran on without its dashboard, /metrics and /health, while
     * probes of that port reached the other program.
     */
    private static void requireFree(String bind, int port) {
        IOException last = null;
        // a reload's previous server may take a moment to let go of the port: two seconds, then it is another's
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true); // as the server binds: a port in TIME_WAIT after a reload is free
                probe.bind(new InetSocketAddress(bind, port));
                return;
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new ConfigError("proxywatch.dashboard.port " + port + " on " + bind + " is not free (" + last.getMessage()
                + "): another program listens there; choose another port with proxywatch.dashboard.port");
    }
}
