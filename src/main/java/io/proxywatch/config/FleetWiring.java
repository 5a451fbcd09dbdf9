package io.proxywatch.config;

import io.proxywatch.detect.RateRule;
import io.proxywatch.fleet.Fleet;
import io.proxywatch.fleet.RedisEndpoint;
import io.proxywatch.rules.Rules;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Fleet mode's bean {@code fleet}, from proxywatch.fleet.*; part of {@link DetectWiring}. */
final class FleetWiring {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private FleetWiring() {
    }

    /** The fleet and its banner line. */
    record Wired(Fleet fleet, String banner) {
    }

    static Wired wire(CamelContext context, Settings s, Supplier<Rules> rules, Clock clock) {
        String url = s.string("proxywatch.fleet.redis-url");
        String name = name(s, "proxywatch.fleet.name", null);
        String instance = name(s, "proxywatch.fleet.instance", defaultInstance());
        long flushMs = s.longAtLeast("proxywatch.fleet.flush-interval-ms", 10); // read by detect.yaml; checked here
        int timeoutMs = s.intAtLeast("proxywatch.fleet.timeout-ms", 10);
        long alertWaitMs = s.longAtLeast("proxywatch.fleet.alert-wait-ms", 0);
        String password = Secrets.read(s, "proxywatch.fleet.redis-password");
        Fleet fleet;
        String banner;
        if (url.isEmpty()) {
            fleet = Fleet.off();
            banner = "off (rate windows are this instance's own; set proxywatch.fleet.redis-url to share them)";
        } else {
            RedisEndpoint endpoint;
            try {
                endpoint = RedisEndpoint.parse(url);
            } catch (IllegalArgumentException e) {
                // the value is not repeated: it may hold a password
                throw new ConfigError("bad value for proxywatch.fleet.redis-url: " + e.getMessage(),
                        "proxywatch.fleet.redis-url");
            }
            fleet = Fleet.shared(endpoint, password, name, instance, timeoutMs, alertWaitMs, clock,
                    id -> rateRule(rules.get(), id));
            banner = endpoint.describe() + ", password " + Secrets.mask(password) + ": fleet '" + name
                    + "', instance '" + instance + "', flushed every " + flushMs + " ms, one alert per fleet incident"
                    + " (raised " + alertWaitMs + " ms after the claim)";
            Fleet closing = fleet;
            try {
                context.addService(new ServiceSupport() {
                    @Override
                    protected void doStop() {
                        closing.close();
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException("cannot register the fleet's connection for shutdown", e);
            }
        }
        context.getRegistry().bind("fleet", fleet);
        return new Wired(fleet, banner);
    }

    private static RateRule rateRule(Rules rules, String id) {
        for (RateRule r : rules.rate().rules()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }

    /** A fleet or instance name: goes into Redis keys and alert messages, so a short plain word. */
    private static String name(Settings s, String key, String fallback) {
        String v = s.string(key);
        if (v.isEmpty() && fallback != null) {
            return fallback;
        }
        if (!NAME.matcher(v).matches()) {
            throw Settings.bad(key, v, "1 to 64 letters, digits, '.', '_', ':' or '-'");
        }
        return v;
    }

    /** host-pid: unique per process on a host, and tells an operator where to look. */
    private static String defaultInstance() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        String name = host.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + ProcessHandle.current().pid();
        return name.length() > 64 ? name.substring(name.length() - 64) : name;
    }
}
