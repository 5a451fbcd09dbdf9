package io.proxywatch.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A real log collector on 127.0.0.1 for end-to-end tests and benchmarks: the JDK's {@link HttpServer} (or
 * {@link HttpsServer} with a self-signed certificate made by {@link Tls#generate}), accepting {@code POST /ingest}
 * (path configurable) with either
 * <ul>
 *   <li>the JSON envelope {@code {"hostname":"…","service":"…","logs":[{record},…]}}, Content-Type
 *       {@code application/json}, or</li>
 *   <li>NDJSON, one record per line, Content-Type {@code application/x-ndjson},</li>
 * </ul>
 * optionally {@code Content-Encoding: gzip} (decoded here). Every record must have {@code timestamp} (ISO-8601 with
 * an offset or Z), {@code level}, {@code message} and {@code source}; a body that breaks the schema is answered
 * with 400 and listed in {@link #schemaErrors()} (a test asserts that list is empty, which names the problem far
 * better than "records missing").
 *
 * <p><b>What it records.</b> Every request ({@link Request}: time, headers, sizes, encoding, format, trace ids,
 * status answered); per {@code trace_id} how often it was <em>accepted</em> (answered 2xx), when first and last,
 * and in which request first ({@link TraceStat}); per {@code X-Proxywatch-Batch-Id} every attempt with its time,
 * status and a fingerprint of its records ({@link Attempt}).
 *
 * <p><b>Programmable.</b> {@link #addRule(Rule)} adds responses tried in order before the default 200: e.g.
 * {@code Rule.status(503).forNext(Duration.ofSeconds(10))}, {@code Rule.status(429).header("Retry-After", "2")
 * .times(1)}, {@code Rule.status(400).body("X").when(r -> r.traceIds().contains("t-000123"))},
 * {@code Rule.status(413).when(r -> r.recordCount() > 50)}, or any {@link Rule#of(Function)}. {@link #stop()}
 * closes the port (clients get "connection refused"); {@link #start()} binds the SAME port again.
 *
 * <p><b>Mutual TLS.</b> {@link Builder#requireClientAuth(boolean)} makes the HTTPS collector demand a client
 * certificate that its client truststore ({@link Tls#trustingClients}) holds; a client without one (or with an
 * unknown one) fails the TLS handshake and never reaches the handler, so no {@link Request} is recorded for it
 * (only {@link #tlsConnections()} counts it). {@link Tls#generateClient} makes such a client keystore (PKCS12,
 * CN of your choice); {@link Request#clientPrincipal()} tells which certificate a request came with.
 *
 * <p><b>Standalone</b> (for benchmarks): {@code java -cp target/test-classes:target/proxywatch.jar
 * io.proxywatch.testkit.TestCollector 8080 [--path /ingest] [--https KEYSTORE.p12 [--password PW]]
 * [--self-signed DIR [--client-auth CLIENT_PW]]} prints its counts every second ({@code --self-signed DIR}
 * generates a keystore and a truststore in DIR and serves HTTPS with them; {@code --client-auth CLIENT_PW} also
 * generates {@code DIR/proxywatch-client.p12} with that password and requires it). The shaded jar only provides
 * Jackson.
 */
public final class TestCollector implements AutoCloseable {
    public static final String BATCH_ID_HEADER = "X-Proxywatch-Batch-Id";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SCHEMA_ERRORS = 200;

    private final String path;
    private final Tls tls;
    private final boolean needClientAuth;
    private final String[] tlsProtocols;
    private final boolean keepRecords;
    private final ExecutorService executor;
    private final long createdNanos = System.nanoTime();
    private volatile int port;
    private volatile HttpServer server;

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, TraceStat> traces = new HashMap<>();
    private final Map<String, List<Attempt>> batches = new LinkedHashMap<>();
    private final Map<String, String> records = new HashMap<>();
    private final List<String> schemaErrors = new ArrayList<>();
    private final Map<Integer, Integer> statusCounts = new TreeMap<>();
    private final AtomicInteger tlsConnections = new AtomicInteger();
    private long acceptedRecords;
    private long duplicates;
    private long withoutTraceId;
    private long schemaErrorCount;

    private TestCollector(Builder b) {
        this.path = b.path;
        this.tls = b.tls;
        this.needClientAuth = b.needClientAuth;
        this.tlsProtocols = b.tlsProtocols;
        this.keepRecords = b.keepRecords;
        this.port = b.port;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-collector");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String path = "/ingest";
        private Tls tls;
        private boolean needClientAuth;
        private String[] tlsProtocols;
        private boolean keepRecords;
        private int port;

        private Builder() {
        }

        /** The ingest path, {@code /ingest} by default; other paths are answered 404. */
        public Builder path(String p) {
            this.path = p;
            return this;
        }

        /** Serve HTTPS with this key material. */
        public Builder https(Tls material) {
            this.tls = material;
            return this;
        }

        /**
         * Mutual TLS: every connection must present a client certificate that {@link Tls#clientTruststore()}
         * holds ({@code HttpsParameters}' need-client-auth); needs {@link #https} with {@link Tls#trustingClients}.
         */
        public Builder requireClientAuth(boolean need) {
            this.needClientAuth = need;
            return this;
        }

        /**
         * Only these TLS versions (e.g. {@code "TLSv1.2"}); the JDK's defaults (TLS 1.3 first) otherwise. It matters
         * for mutual TLS: under TLS 1.2 a missing client certificate fails the handshake itself (the client sees
         * the {@code bad_certificate} alert), under TLS 1.3 the client's handshake has completed before the server
         * checks its certificate, so the client typically sees only a reset or broken pipe on its first write.
         */
        public Builder tlsProtocols(String... protocols) {
            this.tlsProtocols = protocols.length == 0 ? null : protocols.clone();
            return this;
        }

        /** Keep every accepted record's JSON (first copy per trace id) for {@link #record(String)}. */
        public Builder keepRecords(boolean keep) {
            this.keepRecords = keep;
            return this;
        }

        /** A fixed port; 0 (default) picks a free one at the first {@link #start()}. */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /** Builds and binds it. */
        public TestCollector start() throws IOException {
            if (needClientAuth && (tls == null || tls.clientTruststore() == null)) {
                throw new IllegalStateException("requireClientAuth needs https(tls.trustingClients(...)): without a "
                        + "client truststore no client certificate could be trusted");
            }
            TestCollector c = new TestCollector(this);
            c.start();
            return c;
        }
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /** Binds (again) on 127.0.0.1 at {@link #port()}; retries for up to 10 s while the port is still in use. */
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        // without it every response waits for the client's delayed ACK (Nagle): ~40-50 ms per POST
        System.setProperty("sun.net.httpserver.nodelay", "true");
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        HttpServer s;
        while (true) {
            try {
                s = tls == null ? HttpServer.create(addr, 128) : https(addr);
                break;
            } catch (BindException e) {
                if (port == 0 || System.nanoTime() > deadline) {
                    throw new IOException("cannot bind 127.0.0.1:" + port + " again: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while binding", ie);
                }
            }
        }
        s.createContext("/", this::handle);
        s.setExecutor(executor);
        s.start();
        port = s.getAddress().getPort();
        server = s;
    }

    private HttpsServer https(InetSocketAddress addr) throws IOException {
        HttpsServer s = HttpsServer.create(addr, 128);
        SSLContext ctx = tls.serverContext();
        s.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                // called once per accepted connection, before its handshake: counts TLS connection attempts
                tlsConnections.incrementAndGet();
                SSLParameters p = ctx.getDefaultSSLParameters();
                if (needClientAuth) {
                    p.setNeedClientAuth(true);
                }
                if (tlsProtocols != null) {
                    p.setProtocols(tlsProtocols);
                }
                params.setSSLParameters(p);
            }
        });
        return s;
    }

    /** Closes the listening port and every open connection: clients now get "connection refused". */
    public synchronized void stop() {
        HttpServer s = server;
        server = null;
        if (s != null) {
            s.stop(0);
        }
    }

    public boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        stop();
        executor.shutdownNow();
    }

    public int port() {
        return port;
    }

    /** {@code http(s)://127.0.0.1:PORT/ingest}. */
    public String url() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + port + path;
    }

    /** Whether this collector demands a client certificate (mutual TLS). */
    public boolean requiresClientAuth() {
        return needClientAuth;
    }

    /** TLS connections accepted so far (HTTPS only): handshakes attempted, whether or not they succeeded. */
    public int tlsConnections() {
        return tlsConnections.get();
    }

    // ------------------------------------------------------------------------------------------------ rules

    /** Adds a response rule; rules are tried in the order added, the first that applies answers. */
    public TestCollector addRule(Rule rule) {
        rule.activate();
        rules.add(rule);
        return this;
    }

    public void clearRules() {
        rules.clear();
    }

    /** A canned or computed answer to a request; {@link #status(int)} gives the builder-style form. */
    public static final class Rule {
        private Predicate<Request> when = r -> true;
        private final Function<Request, Response> answer;
        private final AtomicInteger remaining = new AtomicInteger(-1);
        private volatile long fromNanos = Long.MIN_VALUE;
        private volatile long untilNanos = Long.MAX_VALUE;
        private Duration window;
        private final AtomicInteger hits = new AtomicInteger();
        private String name;
        // for the status() form
        private int status;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body = "";
        private Duration delay = Duration.ZERO;

        private Rule(Function<Request, Response> answer) {
            this.answer = answer;
        }

        /** Answers {@code status} (with {@link #header}, {@link #body}, {@link #delay} as set). */
        public static Rule status(int status) {
            Rule r = new Rule(null);
            r.status = status;
            r.name = String.valueOf(status);
            return r;
        }

        /** Answers whatever {@code f} returns; {@code null} lets the next rule (or the default 200) answer. */
        public static Rule of(Function<Request, Response> f) {
            Rule r = new Rule(f);
            r.name = "function";
            return r;
        }

        /** Only requests matching {@code p}. */
        public Rule when(Predicate<Request> p) {
            this.when = p;
            return this;
        }

        /** Only the next {@code n} matching requests. */
        public Rule times(int n) {
            remaining.set(n);
            return this;
        }

        /** Only for {@code d} from the moment it is added. */
        public Rule forNext(Duration d) {
            this.window = d;
            return this;
        }

        public Rule header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Rule body(String text) {
            this.body = text;
            return this;
        }

        /** Waits this long before answering (a slow collector; a client timeout shorter than it fires). */
        public Rule delay(Duration d) {
            this.delay = d;
            return this;
        }

        public Rule named(String n) {
            this.name = n;
            return this;
        }

        /** How often it answered. */
        public int hits() {
            return hits.get();
        }

        /** When its {@link #forNext} window ends (System.nanoTime), or Long.MAX_VALUE. */
        public long untilNanos() {
            return untilNanos;
        }

        void activate() {
            if (window != null) {
                fromNanos = System.nanoTime();
                untilNanos = fromNanos + window.toNanos();
            }
        }

        /** The answer, or null when this rule does not apply; consumes one of {@link #times}. */
        Response apply(Request req) {
            long now = System.nanoTime();
            if (now > untilNanos || !when.test(req)) {
                return null;
            }
            while (true) {
                int left = remaining.get();
                if (left == 0) {
                    return null;
                }
                if (left < 0 || remaining.compareAndSet(left, left - 1)) {
                    break;
                }
            }
            Response r = answer != null ? answer.apply(req) : new Response(status, headers, body, delay);
            if (r != null) {
                hits.incrementAndGet();
            }
            return r;
        }

        @Override
        public String toString() {
            return "Rule[" + name + ", hits=" + hits + "]";
        }
    }

    /** What the collector answers. */
    public record Response(int status, Map<String, String> headers, String body, Duration delay) {
        public static Response of(int status, String body) {
            return new Response(status, Map.of(), body, Duration.ZERO);
        }
    }

    // ------------------------------------------------------------------------------------------------ handling

    private void handle(HttpExchange ex) throws IOException {
        long nanos = System.nanoTime();
        Instant at = Instant.now();
        byte[] raw;
        try (InputStream in = ex.getRequestBody()) {
            raw = in.readAllBytes();
        }
        Headers h = ex.getRequestHeaders();
        TreeMap<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.forEach((k, v) -> headers.put(k, List.copyOf(v)));
        Request req = new Request(at, nanos, ex.getRequestMethod(), ex.getRequestURI().getPath(),
                Collections.unmodifiableMap(headers), raw.length);
        req.clientPrincipal = clientPrincipal(ex);
        List<String> keptRecords = keepRecords ? new ArrayList<>() : null;
        Response response;
        if (!path.equals(req.path)) {
            response = Response.of(404, "no such path: " + req.path);
        } else if (!"POST".equals(req.method)) {
            response = Response.of(405, "POST only");
        } else {
            parse(req, raw, keptRecords);
            response = null;
        }
        synchronized (this) {
            req.index = requests.size();
            requests.add(req);
            if (response == null && !req.schemaErrors.isEmpty()) {
                schemaErrorCount += req.schemaErrors.size();
                for (String e : req.schemaErrors) {
                    if (schemaErrors.size() < MAX_SCHEMA_ERRORS) {
                        schemaErrors.add("request #" + req.index + " (batch " + req.batchId() + "): " + e);
                    }
                }
                response = Response.of(400, "schema: " + String.join("; ", req.schemaErrors.subList(0,
                        Math.min(5, req.schemaErrors.size()))));
            }
        }
        if (response == null) {
            for (Rule rule : rules) {
                response = rule.apply(req);
                if (response != null) {
                    break;
                }
            }
        }
        if (response == null) {
            response = Response.of(200, "{\"accepted\":" + req.recordCount + "}");
        }
        req.status = response.status();
        req.responseBody = response.body();
        account(req, keptRecords);
        if (!response.delay().isZero()) {
            try {
                Thread.sleep(response.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] out = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
        response.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        if (!response.headers().containsKey("Content-Type")) {
            ex.getResponseHeaders().add("Content-Type", out.length > 0 && out[0] == '{' ? "application/json"
                    : "text/plain; charset=utf-8");
        }
        try {
            ex.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        } finally {
            ex.close();
        }
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** When a gunzipped body is gzip again (compressed twice), says so: a hint for the schema error. */
    private static String doubleGzip(Request req, byte[] body) {
        if (req.gzipped && body.length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                byte[] twice = in.readAllBytes();
                return " [the body is gzip-compressed TWICE: after one gunzip it is gzip again, after two it starts "
                        + new String(twice, 0, Math.min(40, twice.length), StandardCharsets.UTF_8) + "…]";
            } catch (IOException e) {
                return " [after gunzip the body still starts with the gzip magic 1f 8b]";
            }
        }
        return "";
    }

    private void parse(Request req, byte[] raw, List<String> kept) {
        byte[] body = raw;
        String enc = req.header("Content-Encoding");
        if (enc != null && !enc.isBlank() && !enc.equalsIgnoreCase("identity")) {
            if (enc.trim().equalsIgnoreCase("gzip")) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                    body = in.readAllBytes();
                    req.gzipped = true;
                } catch (IOException e) {
                    req.schemaErrors.add("Content-Encoding: gzip but the body does not gunzip: " + e);
                    return;
                }
            } else {
                req.schemaErrors.add("unsupported Content-Encoding: " + enc);
                return;
            }
        } else if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            req.schemaErrors.add("the body is gzip data but there is no Content-Encoding: gzip header");
            return;
        }
        req.decodedBytes = body.length;
        String type = mediaType(req.header("Content-Type"));
        List<JsonNode> recs = new ArrayList<>();
        if (type.equals("application/json")) {
            req.format = "json";
            JsonNode env;
            try {
                env = JSON.readTree(body);
            } catch (IOException e) {
                req.schemaErrors.add("application/json body is not JSON: " + e.getMessage() + doubleGzip(req, body));
                return;
            }
            if (env == null || !env.isObject()) {
                req.schemaErrors.add("envelope is not a JSON object");
                return;
            }
            if (!env.path("hostname").isTextual() || env.path("hostname").asText().isBlank()) {
                req.schemaErrors.add("envelope key 'hostname' missing or not a non-empty string");
            }
            // "service" must be there; null is allowed (each record carries its own service)
            if (!env.has("service") || !(env.get("service").isTextual() || env.get("service").isNull())) {
                req.schemaErrors.add("envelope key 'service' missing or neither a string nor null");
            }
            req.hostname = env.path("hostname").asText(null);
            req.service = env.path("service").asText(null);
            JsonNode logs = env.get("logs");
            if (logs == null || !logs.isArray()) {
                req.schemaErrors.add("envelope key 'logs' missing or not an array");
                return;
            }
            logs.forEach(recs::add);
        } else if (type.equals("application/x-ndjson")) {
            req.format = "ndjson";
            String text = new String(body, StandardCharsets.UTF_8);
            int lineNo = 0;
            for (String line : text.split("\n", -1)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    recs.add(JSON.readTree(line));
                } catch (IOException e) {
                    req.schemaErrors.add("ndjson line " + lineNo + " is not JSON: " + e.getMessage()
                            + doubleGzip(req, body));
                    break;
                }
            }
        } else {
            req.schemaErrors.add("unsupported Content-Type '" + req.header("Content-Type")
                    + "' (expected application/json or application/x-ndjson)");
            return;
        }
        int i = 0;
        for (JsonNode r : recs) {
            String where = "record " + i++;
            if (!r.isObject()) {
                req.schemaErrors.add(where + " is not an object");
                continue;
            }
            String ts = r.path("timestamp").asText(null);
            if (ts == null || !r.path("timestamp").isTextual()) {
                req.schemaErrors.add(where + ": no string 'timestamp'");
            } else {
                try {
                    OffsetDateTime.parse(ts);
                } catch (DateTimeParseException e) {
                    req.schemaErrors.add(where + ": timestamp '" + ts + "' is not ISO-8601 with an offset");
                }
            }
            if (!r.path("level").isTextual() || r.path("level").asText().isBlank()) {
                req.schemaErrors.add(where + ": no 'level'");
            }
            if (!r.path("message").isTextual()) {
                req.schemaErrors.add(where + ": no string 'message'");
            }
            if (r.get("source") == null || r.get("source").isNull()) {
                req.schemaErrors.add(where + ": no 'source'");
            }
            JsonNode tid = r.get("trace_id");
            req.traceIds.add(tid != null && tid.isTextual() ? tid.asText() : null);
            if (kept != null) {
                kept.add(r.toString());
            }
        }
        req.recordCount = recs.size();
    }

    /** The verified client certificate's subject (mutual TLS), or null. */
    private static String clientPrincipal(HttpExchange ex) {
        if (!(ex instanceof HttpsExchange hx) || hx.getSSLSession() == null) {
            return null;
        }
        try {
            return hx.getSSLSession().getPeerPrincipal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private synchronized void account(Request req, List<String> kept) {
        statusCounts.merge(req.status, 1, Integer::sum);
        boolean ok = req.status >= 200 && req.status < 300;
        if (ok) {
            acceptedRecords += req.recordCount;
            for (int i = 0; i < req.traceIds.size(); i++) {
                String id = req.traceIds.get(i);
                if (id == null) {
                    withoutTraceId++;
                    continue;
                }
                TraceStat t = traces.get(id);
                if (t == null) {
                    t = new TraceStat(req.at, req.nanos, req.index);
                    traces.put(id, t);
                    if (kept != null && i < kept.size()) {
                        records.put(id, kept.get(i));
                    }
                } else {
                    duplicates++;
                }
                t.count++;
                t.lastAt = req.at;
                t.lastRequest = req.index;
            }
        }
        String batch = req.batchId();
        if (batch != null) {
            batches.computeIfAbsent(batch, k -> new ArrayList<>()).add(new Attempt(req.index, req.at, req.nanos,
                    req.status, req.recordCount, req.traceIds.isEmpty() ? null : req.traceIds.get(0),
                    req.traceIds.isEmpty() ? null : req.traceIds.get(req.traceIds.size() - 1),
                    req.traceIds.hashCode()));
        }
    }

    // ------------------------------------------------------------------------------------------------ views

    /** One request as received. */
    public static final class Request {
        private final Instant at;
        private final long nanos;
        private final String method;
        private final String path;
        private final Map<String, List<String>> headers;
        private final int rawBytes;
        private volatile int index;
        private int decodedBytes;
        private boolean gzipped;
        private String format;
        private String hostname;
        private String service;
        private int recordCount;
        private final List<String> traceIds = new ArrayList<>();
        private final List<String> schemaErrors = new ArrayList<>();
        private volatile int status;
        private volatile String responseBody;
        private volatile String clientPrincipal;

        Request(Instant at, long nanos, String method, String path, Map<String, List<String>> headers,
                int rawBytes) {
            this.at = at;
            this.nanos = nanos;
            this.method = method;
            this.path = path;
            this.headers = headers;
            this.rawBytes = rawBytes;
        }

        public int index() {
            return index;
        }

        public Instant at() {
            return at;
        }

        /** System.nanoTime() at arrival. */
        public long nanos() {
            return nanos;
        }

        public String method() {
            return method;
        }

        public String path() {
            return path;
        }

        /** Case-insensitive. */
        public Map<String, List<String>> headers() {
            return headers;
        }

        /** The first value of a header (case-insensitive name), or null. */
        public String header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public String batchId() {
            return header(BATCH_ID_HEADER);
        }

        public int rawBytes() {
            return rawBytes;
        }

        public int decodedBytes() {
            return decodedBytes;
        }

        /** The body came with Content-Encoding: gzip and gunzipped fine. */
        public boolean gzipped() {
            return gzipped;
        }

        /** json, ndjson, or null when the Content-Type was neither. */
        public String format() {
            return format;
        }

        public String hostname() {
            return hostname;
        }

        public String service() {
            return service;
        }

        public int recordCount() {
            return recordCount;
        }

        /** In body order; null for a record without a string trace_id. */
        public List<String> traceIds() {
            return Collections.unmodifiableList(traceIds);
        }

        public List<String> schemaErrors() {
            return Collections.unmodifiableList(schemaErrors);
        }

        public int status() {
            return status;
        }

        public String responseBody() {
            return responseBody;
        }

        /** Subject of the client certificate the TLS session was authenticated with (e.g. CN=x), or null. */
        public String clientPrincipal() {
            return clientPrincipal;
        }

        @Override
        public String toString() {
            return "#" + index + " " + at + " " + method + " " + path + " batch=" + batchId() + " records="
                    + recordCount + (traceIds.isEmpty() ? "" : " [" + traceIds.get(0) + ".."
                    + traceIds.get(traceIds.size() - 1) + "]") + " -> " + status;
        }
    }

    /** How a trace id was accepted: how often, first and last time, first and last request index. */
    public static final class TraceStat {
        private int count;
        private final Instant firstAt;
        private final long firstNanos;
        private final int firstRequest;
        private Instant lastAt;
        private int lastRequest;

        TraceStat(Instant at, long nanos, int request) {
            this.firstAt = at;
            this.firstNanos = nanos;
            this.firstRequest = request;
        }

        public int count() {
            return count;
        }

        public Instant firstAt() {
            return firstAt;
        }

        public long firstNanos() {
            return firstNanos;
        }

        public int firstRequest() {
            return firstRequest;
        }

        public Instant lastAt() {
            return lastAt;
        }

        public int lastRequest() {
            return lastRequest;
        }
    }

    /** One attempt of a batch (one request with its batch id). */
    public record Attempt(int request, Instant at, long nanos, int status, int records, String firstTraceId,
                          String lastTraceId, int fingerprint) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** A copy of every request so far, in arrival order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized int requestCount() {
        return requests.size();
    }

    /** How often {@code traceId} was accepted (answered 2xx); 0 if never. */
    public synchronized int acceptedCount(String traceId) {
        TraceStat t = traces.get(traceId);
        return t == null ? 0 : t.count;
    }

    /** The acceptance stats of a trace id, or null. (Read only; fields may move while the collector runs.) */
    public synchronized TraceStat trace(String traceId) {
        return traces.get(traceId);
    }

    /** The first accepted copy of a record, as JSON (only with {@link Builder#keepRecords}). */
    public synchronized String record(String traceId) {
        return records.get(traceId);
    }

    public synchronized long distinct() {
        return traces.size();
    }

    /** Accepted records beyond the first per trace id. */
    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long acceptedRecords() {
        return acceptedRecords;
    }

    public synchronized long withoutTraceId() {
        return withoutTraceId;
    }

    public synchronized Set<String> acceptedTraceIds() {
        return Set.copyOf(traces.keySet());
    }

    /** Every batch id seen, with its attempts in arrival order. */
    public synchronized Map<String, List<Attempt>> batches() {
        Map<String, List<Attempt>> copy = new LinkedHashMap<>();
        batches.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    public synchronized List<Attempt> attempts(String batchId) {
        List<Attempt> a = batches.get(batchId);
        return a == null ? List.of() : List.copyOf(a);
    }

    /** The first {@value #MAX_SCHEMA_ERRORS} schema errors, each naming its request and batch. */
    public synchronized List<String> schemaErrors() {
        return List.copyOf(schemaErrors);
    }

    public synchronized long schemaErrorCount() {
        return schemaErrorCount;
    }

    public synchronized Map<Integer, Integer> statusCounts() {
        return new TreeMap<>(statusCounts);
    }

    /** One line: requests, statuses, records accepted, distinct, duplicates, schema errors. */
    public synchronized String summary() {
        return "requests=" + requests.size() + " statuses=" + statusCounts + " records_accepted=" + acceptedRecords
                + " distinct=" + traces.size() + " duplicates=" + duplicates + " batches=" + batches.size()
                + " schema_errors=" + schemaErrorCount + (withoutTraceId > 0 ? " without_trace_id=" + withoutTraceId
                : "") + (tls != null ? " tls_connections=" + tlsConnections.get() : "")
                + (needClientAuth ? " client_auth=required" : "")
                + (tlsProtocols != null ? " tls_protocols=" + String.join(",", tlsProtocols) : "");
    }

    // ------------------------------------------------------------------------------------------------ TLS

    /**
     * A self-signed certificate for CN=localhost, SAN ip:127.0.0.1 and dns:localhost, valid 2 days, made with the
     * JDK's keytool: {@code server.p12} (key and certificate) and {@code truststore.p12} (the certificate only),
     * both PKCS12 with {@link #password()}. For mutual TLS, {@link #trustingClients} adds {@code
     * client-truststore.p12} (PKCS12, same password): the client certificates the server accepts.
     */
    public record Tls(Path keystore, Path truststore, Path certificate, String password, Path clientTruststore) {
        public Tls(Path keystore, Path truststore, Path certificate, String password) {
            this(keystore, truststore, certificate, password, null);
        }

        public static Tls generate(Path dir) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            String pw = "changeit";
            Path ks = dir.resolve("server.p12");
            Path crt = dir.resolve("server.crt");
            Path ts = dir.resolve("truststore.p12");
            keytool(dir, "-genkeypair", "-alias", "collector", "-keyalg", "RSA", "-keysize", "2048",
                    "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", pw, "-keypass", pw);
            keytool(dir, "-exportcert", "-alias", "collector", "-keystore", ks.toString(), "-storetype", "PKCS12",
                    "-storepass", pw, "-rfc", "-file", crt.toString());
            keytool(dir, "-importcert", "-noprompt", "-alias", "collector", "-file", crt.toString(),
                    "-keystore", ts.toString(), "-storetype", "PKCS12", "-storepass", pw);
            return new Tls(ks, ts, crt, pw);
        }

        /** An existing PKCS12 keystore (standalone use). */
        public static Tls ofKeystore(Path keystore, String password) {
            return new Tls(keystore, null, null, password);
        }

        /**
         * A client key pair for mutual TLS, self-signed, {@code CN=<cn>}, valid 2 days: {@code DIR/<cn>.p12}
         * (PKCS12, key and store password {@code password}, alias {@code client}) and its certificate {@code
         * DIR/<cn>.crt} (PEM), to hand to {@link #trustingClients}.
         */
        public static ClientCert generateClient(Path dir, String cn, String password)
                throws IOException, InterruptedException {
            Files.createDirectories(dir);
            Path ks = dir.resolve(cn + ".p12");
            Path crt = dir.resolve(cn + ".crt");
            keytool(dir, "-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048",
                    "-dname", "CN=" + cn, "-ext", "EKU=clientAuth", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", password, "-keypass", password);
            keytool(dir, "-exportcert", "-alias", "client", "-keystore", ks.toString(), "-storetype", "PKCS12",
                    "-storepass", password, "-rfc", "-file", crt.toString());
            return new ClientCert(ks, crt, password, "CN=" + cn);
        }

        /**
         * This server material plus a client truststore ({@code client-truststore.p12} beside the server keystore,
         * this record's password) holding the certificates of {@code clients}: with {@link
         * Builder#requireClientAuth} only they get through the handshake.
         */
        public Tls trustingClients(ClientCert... clients) throws IOException, InterruptedException {
            if (clients.length == 0) {
                throw new IllegalArgumentException("no client certificate to trust");
            }
            Path dir = keystore.toAbsolutePath().getParent();
            Path cts = dir.resolve("client-truststore.p12");
            Files.deleteIfExists(cts);
            for (int i = 0; i < clients.length; i++) {
                keytool(dir, "-importcert", "-noprompt", "-alias", "client-" + i, "-file",
                        clients[i].certificate().toString(), "-keystore", cts.toString(), "-storetype", "PKCS12",
                        "-storepass", password);
            }
            return new Tls(keystore, truststore, certificate, password, cts);
        }

        private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool " + args[0] + " did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("keytool " + String.join(" ", args) + " failed (" + p.exitValue() + "): "
                        + out);
            }
        }

        SSLContext serverContext() throws IOException {
            try {
                KeyStore store = load(keystore, password);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, password.toCharArray());
                TrustManagerFactory tmf = null;
                if (clientTruststore != null) {
                    tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(load(clientTruststore, password));
                }
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
                return ctx;
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("cannot load keystore " + keystore + (clientTruststore == null ? ""
                        : " / client truststore " + clientTruststore) + ": " + e, e);
            }
        }

        private static KeyStore load(Path file, String password) throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, password.toCharArray());
            }
            return store;
        }
    }

    /**
     * A client's key material for mutual TLS ({@link Tls#generateClient}): PKCS12 keystore, its certificate (PEM),
     * the keystore (and key) password, and the certificate's subject as the server sees it ({@code CN=…}).
     */
    public record ClientCert(Path keystore, Path certificate, String password, String subject) {
        @Override
        public String toString() {
            return "ClientCert[" + subject + ", " + keystore + "]"; // never the password
        }
    }

    // ------------------------------------------------------------------------------------------------ main

    /**
     * {@code TestCollector PORT [--path /ingest] [--https KEYSTORE.p12] [--password PW] [--self-signed DIR]};
     * prints counts every second until killed.
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("-h") || args[0].equals("--help")) {
            System.out.println("usage: TestCollector PORT [--path /ingest] [--https KEYSTORE.p12] [--password PW]"
                    + " [--self-signed DIR [--client-auth CLIENT_PW]]");
            return;
        }
        Builder b = builder().port(Integer.parseInt(args[0]));
        String keystore = null;
        String password = "changeit";
        Tls selfSigned = null;
        String clientPassword = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--path" -> b.path(args[++i]);
                case "--https" -> keystore = args[++i];
                case "--password" -> password = args[++i];
                case "--self-signed" -> {
                    selfSigned = Tls.generate(Path.of(args[++i]).toAbsolutePath());
                    System.out.println("self-signed: keystore " + selfSigned.keystore() + ", truststore "
                            + selfSigned.truststore() + " (PKCS12, password " + selfSigned.password() + ")");
                }
                case "--client-auth" -> clientPassword = args[++i];
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (selfSigned != null && clientPassword != null) {
            ClientCert client = Tls.generateClient(selfSigned.keystore().getParent(), "proxywatch-client",
                    clientPassword);
            selfSigned = selfSigned.trustingClients(client);
            b.requireClientAuth(true);
            System.out.println("client certificate required: client keystore " + client.keystore()
                    + " (PKCS12, the password given)");
        } else if (clientPassword != null) {
            throw new IllegalArgumentException("--client-auth needs --self-signed DIR");
        }
        if (selfSigned != null) {
            b.https(selfSigned);
        }
        if (keystore != null) {
            b.https(Tls.ofKeystore(Path.of(keystore), password));
        }
        TestCollector c = b.start();
        System.out.println("collector listening on " + c.url());
        AtomicLong lastRecords = new AtomicLong();
        while (true) {
            Thread.sleep(1000);
            long now;
            synchronized (c) {
                now = c.acceptedRecords;
            }
            long secs = (System.nanoTime() - c.createdNanos) / 1_000_000_000L;
            System.out.printf(Locale.ROOT, "[%5ds] %s rate=%d/s%n", secs, c.summary(),
                    now - lastRecords.getAndSet(now));
            System.out.flush();
        }
    }
}
