package io.proxywatch.config;

import io.proxywatch.web.WebAccess;
import org.apache.camel.CamelContext;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The HTTP side (dashboard, /metrics, /health) from proxywatch.dashboard.*; part of {@link ProxywatchConfiguration}. */
final class WebWiring {
    private WebWiring() {
    }

    /** Binds webAccess and returns the banner line. */
    static String wire(CamelContext context, Settings s) {
        boolean enabled = s.bool("proxywatch.dashboard.enabled");
        String bind = s.string("proxywatch.dashboard.bind");
        int port = s.intAtLeast("proxywatch.dashboard.port", 1);
        String password = Secrets.read(s, "proxywatch.dashboard.password");
        WebAccess access = new WebAccess(s.string("proxywatch.dashboard.username"), password, loopback(bind));
        if (enabled && !access.required() && !loopback(bind)) {
            throw Settings.bad("proxywatch.dashboard.bind", bind,
                    "the dashboard shows attacker addresses and log lines: listening beyond loopback needs "
                            + "proxywatch.dashboard.password (or -file)");
        }
        context.getRegistry().bind("webAccess", access);
        if (!enabled) {
            return "off (proxywatch.dashboard.enabled=false)";
        }
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        return "http://" + host + ":" + port + "/  (/metrics, /health; "
                + (access.required() ? "basic auth or bearer token" : "no auth: loopback only") + ")";
    }

    static boolean loopback(String bind) {
        if (bind.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            // a literal address only: never a DNS look-up at start-up for a setting
            return bind.matches("[0-9.]+|[0-9a-fA-F:]+") && InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
