package io.proxywatch.config;

import io.proxywatch.alert.SecretUrl;
import io.proxywatch.ship.BatchAggregator;
import io.proxywatch.ship.BatchSlicer;
import io.proxywatch.ship.CollectorAuth;
import io.proxywatch.ship.CollectorState;
import io.proxywatch.ship.DeadLetters;
import io.proxywatch.ship.RateLimiter;
import io.proxywatch.ship.RequestBuilder;
import io.proxywatch.ship.RetryAfter;
import io.proxywatch.ship.RetryBudget;
import io.proxywatch.ship.ShipOutcome;
import io.proxywatch.ship.ShipStats;
import io.proxywatch.ship.Spool;
import io.proxywatch.ship.SpoolReplay;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The ship stage's beans, from proxywatch.ship.* settings; part of {@link ProxywatchConfiguration}. */
final class ShipWiring {
    private ShipWiring() {
    }

    /** What the rest of the wiring needs from the ship stage: the banner line and the figures for progress. */
    record Wired(String banner, ShipStats stats, Spool spool, CollectorState state, boolean enabled) {
    }

    /** Binds every ship bean. */
    static Wired wire(CamelContext context, Settings s, LiveState live, Path dataDir) {
        String url = s.string("proxywatch.ship.url");
        boolean enabled = !url.isEmpty();
        URI uri = enabled ? checkUrl(url) : null;
        boolean https = enabled && "https".equalsIgnoreCase(uri.getScheme());
        int maxRecords = s.intAtLeast("proxywatch.ship.batch.max-records", 1);
        long maxBytes = s.longAtLeast("proxywatch.ship.batch.max-bytes", 1024);
        long batchTimeoutMs = s.longAtLeast("proxywatch.ship.batch.timeout-ms", 1); // also read by ship.yaml
        int maxAttempts = s.intAtLeast("proxywatch.ship.retry.max-attempts", 1);
        long initialDelay = s.longAtLeast("proxywatch.ship.retry.initial-delay-ms", 1);
        long maxDelay = s.longAtLeast("proxywatch.ship.retry.max-delay-ms", initialDelay);
        long timeoutMs = s.longAtLeast("proxywatch.ship.timeout-ms", 100);
        boolean ndjson = s.oneOf("proxywatch.ship.format", List.of("json", "ndjson")).equals("ndjson");
        boolean gzip = s.bool("proxywatch.ship.gzip");
        String hostname = s.string("proxywatch.ship.hostname");
        if (hostname.isEmpty()) {
            hostname = localHostname();
        }
        String service = s.string("proxywatch.ship.service");
        String apiKey = Secrets.read(s, "proxywatch.ship.api-key");
        String bearer = Secrets.read(s, "proxywatch.ship.bearer-token");
        Map<String, String> extra = headers(s.string("proxywatch.ship.headers"));
        String apiKeyHeader = s.string("proxywatch.ship.api-key-header");
        long spoolMax = s.longAtLeast("proxywatch.ship.spool.max-bytes", 1024 * 1024);
        boolean dropOldest = s.oneOf("proxywatch.ship.spool.policy", List.of("block", "drop-oldest"))
                .equals("drop-oldest");
        s.longAtLeast("proxywatch.ship.spool.replay-interval-ms", 10); // read by ship-replay.yaml; checked here
        long recordsPerSec = s.longAtLeast("proxywatch.ship.rate-limit.records-per-sec", 0);
        long bytesPerSec = s.longAtLeast("proxywatch.ship.rate-limit.bytes-per-sec", 0);
        long graceMs = s.longAtLeast("proxywatch.ship.shutdown-grace-ms", 0);

        // counters, the last delivery and whether the collector is down go on across a reload: a reload is not a
        // delivery, and readiness must not turn ready again because the settings file was touched
        ShipStats stats = live.keep("shipStats", null, ShipStats::new);
        CollectorState state = live.keep("collectorState", url, CollectorState::new);
        Spool spool;
        DeadLetters deadLetters;
        try {
            spool = new Spool(dataDir.resolve("spool"), spoolMax, dropOldest, stats, context::isStopping);
            deadLetters = new DeadLetters(dataDir.resolve("dead-letter"), stats);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the spool under " + dataDir, e);
        }
        CollectorAuth auth = new CollectorAuth(apiKeyHeader, apiKey, bearer, extra);
        RateLimiter limiter = new RateLimiter(recordsPerSec, bytesPerSec, RateLimiter.SYSTEM);
        var registry = context.getRegistry();
        registry.bind("collectorState", state);
        registry.bind("batchSlicer", new BatchSlicer(maxRecords, maxBytes));
        registry.bind("batchAggregator", new BatchAggregator(maxRecords, maxBytes, batchTimeoutMs, Clock.systemUTC()));
        registry.bind("requestBuilder", new RequestBuilder(ndjson, gzip, hostname, service.isEmpty() ? null : service));
        registry.bind("rateLimiter", limiter);
        String hint = !https ? null : s.string("proxywatch.ship.tls.keystore").isEmpty()
                ? "over TLS this can mean the collector wants a client certificate: set proxywatch.ship.tls.keystore"
                : "over TLS this can mean the collector does not trust the client certificate in "
                        + "proxywatch.ship.tls.keystore";
        registry.bind("retryAfter", new RetryAfter(maxDelay, state, stats, hint));
        registry.bind("retryBudget", new RetryBudget(context, maxAttempts, graceMs));
        registry.bind("shipOutcome", new ShipOutcome(spool, deadLetters, state, stats));
        registry.bind("spoolReplay", new SpoolReplay(spool, deadLetters, state, stats, enabled, initialDelay, maxDelay,
                Clock.systemUTC()));
        registry.bind("collectorAuth", auth);
        registry.bind("shipSwitch", new ShipSwitch(enabled));

        if (!enabled) {
            registry.bind("collector", context.getEndpoint("direct:ship-disabled"));
            return new Wired("off (proxywatch.ship.url is empty)", stats, spool, state, false);
        }
        StringBuilder options = new StringBuilder("httpClientConfigurer=#collectorAuth&throwExceptionOnFailure=true")
                .append("&connectTimeout=").append(timeoutMs).append("&responseTimeout=").append(timeoutMs)
                .append("&connectionRequestTimeout=").append(timeoutMs);
        if (https) {
            registry.bind("collectorTls", tls(s, context));
            options.append("&sslContextParameters=#collectorTls");
        }
        registry.bind("collector", context.getEndpoint(url + (url.contains("?") ? "&" : "?") + options));
        String banner = uri.getScheme() + "://" + uri.getAuthority() + uri.getPath() + " (" + (ndjson ? "ndjson" : "json")
                + (gzip ? ", gzip" : "") + "; batches of " + maxRecords + " records / " + maxBytes + " bytes; auth "
                + auth.describe() + "; spool " + dataDir.resolve("spool") + " up to " + spoolMax + " bytes, "
                + (dropOldest ? "drop-oldest" : "block") + (limiter.isOn() ? "; rate-limited" : "") + ")";
        return new Wired(banner, stats, spool, state, true);
    }

    /** Whether shipping is on: the ingest route asks before handing a chunk to the ship stage. */
    public record ShipSwitch(boolean enabled) {
        public boolean isOn() {
            return enabled;
        }
    }

    static URI checkUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw Settings.bad("proxywatch.ship.url", shown(url), "an http:// or https:// URL with a host");
            }
            if (uri.getUserInfo() != null) {
                throw new ConfigError("bad value for proxywatch.ship.url: credentials in the URL would be logged; "
                        + "use proxywatch.ship.api-key or proxywatch.ship.bearer-token", "proxywatch.ship.url");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw Settings.bad("proxywatch.ship.url", shown(url), "a URL (" + e.getReason() + ")");
        }
    }

    /**
     * The URL as an error may print it: user info masked and no query, where a collector's key may ride under any
     * name (the URL was printed whole, {@code ?api_key=} and passwords included).
     */
    static String shown(String url) {
        String head = url.split("[?#]", 2)[0];
        return SecretUrl.mask(head) + (head.length() < url.length() ? "?(not shown)" : "");
    }

    private static SSLContextParameters tls(Settings s, CamelContext context) {
        SSLContextParameters p = new SSLContextParameters();
        String trust = s.string("proxywatch.ship.tls.truststore");
        if (!trust.isEmpty()) {
            TrustManagersParameters tm = new TrustManagersParameters();
            tm.setKeyStore(store(trust, Secrets.read(s, "proxywatch.ship.tls.truststore-password"),
                    "proxywatch.ship.tls.truststore"));
            p.setTrustManagers(tm);
        }
        String keystore = s.string("proxywatch.ship.tls.keystore");
        if (!keystore.isEmpty()) {
            String pw = Secrets.read(s, "proxywatch.ship.tls.keystore-password");
            KeyManagersParameters km = new KeyManagersParameters();
            km.setKeyStore(store(keystore, pw, "proxywatch.ship.tls.keystore"));
            km.setKeyPassword(pw);
            p.setKeyManagers(km);
        }
        p.setCamelContext(context);
        try {
            p.createSSLContext(context); // fail now, not at the first batch, on a bad store or password
        } catch (Exception e) {
            throw new ConfigError("TLS settings for proxywatch.ship.url are unusable: " + describe(e)
                    + " (check proxywatch.ship.tls.truststore / keystore, their type and passwords)");
        }
        return p;
    }

    /** Every message down the cause chain: keystore errors put the useful part deep inside. */
    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (sb.indexOf(m) < 0) {
                sb.append(sb.length() > 0 ? ": " : "").append(m);
            }
        }
        return sb.toString();
    }

    private static KeyStoreParameters store(String path, String password, String key) {
        Path file = Path.of(path).toAbsolutePath();
        if (!Files.isReadable(file)) {
            throw Settings.bad(key, path, "a readable PKCS12 or JKS file");
        }
        KeyStoreParameters ks = new KeyStoreParameters();
        ks.setResource("file:" + file);
        ks.setPassword(password);
        ks.setType(path.toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12");
        return ks;
    }

    static Map<String, String> headers(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        int n = 0;
        for (String pair : value.split(",")) {
            n++;
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                // named by its position and the start of its name only: "Authorization: Bearer ..." is a secret
                String name = pair.strip().split("[:=\\s]", 2)[0];
                throw Settings.bad("proxywatch.ship.headers", "pair " + n + ", " + name + " (value not shown)",
                        "Name=value pairs separated by commas");
            }
            out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return out;
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
