package io.proxywatch.testkit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The common part of the fake chat robots ({@link TestWecom}, {@link TestDingtalk}, {@link TestFeishu},
 * {@link TestWebhook}): a real HTTP server on 127.0.0.1 (JDK {@link HttpServer}, a free port), that hands each
 * request to the robot's rules ({@link #answer}) and records what it accepted and what it refused, with the code
 * it refused it with.
 *
 * <p><b>Time</b> comes from the {@link Clock} given at construction (default the system clock): the robots' rate
 * windows and signature ages use it, so a test moves a {@link MutableClock} instead of sleeping.
 *
 * <p><b>Forced rate limiting</b>: {@link #failNext(int)} makes the next N requests that pass authentication get
 * the robot's rate-limit answer, whatever the window says, then normal service resumes (for retry tests).
 *
 * <p><b>Waiting</b>: {@link #awaitAccepted(int, Duration)} blocks until that many messages were accepted (no sleep
 * loops); on timeout it fails with what was accepted and refused so far.
 *
 * <p>Thread-safe: requests are judged one at a time (a robot's rate window is a sequence anyway), and every
 * accessor returns a copy.
 */
public abstract class RobotServer implements AutoCloseable {
    /** Strict parsing: a duplicate field is an error (a real robot's parser may pick either; we want to know). */
    protected static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** One HTTP request as the robot saw it; {@code json} is null when the body is not JSON. */
    public record Request(Instant at, String method, String path, Map<String, String> query, String body,
                          JsonNode json) {
    }

    /** An accepted message: its request, and the body as parsed JSON. */
    public record Message(Instant at, String path, Map<String, String> query, String body, JsonNode json) {
    }

    /** A refused request, with the HTTP status and the robot's code and message it was answered. */
    public record Rejection(Instant at, String path, Map<String, String> query, String body, int status, long code,
                            String message) {
    }

    /** What the robot answers: {@code accepted} (recorded as a message) or a refusal with its code. */
    protected record Reply(boolean accepted, int status, long code, String message) {
        public static Reply ok(long code, String message) {
            return new Reply(true, 200, code, message);
        }

        public static Reply refuse(long code, String message) {
            return new Reply(false, 200, code, message);
        }

        public static Reply refuse(int status, long code, String message) {
            return new Reply(false, status, code, message);
        }
    }

    private final String name;
    protected final Clock clock;
    private final ExecutorService executor;
    private HttpServer server;
    private final List<Message> accepted = new ArrayList<>();
    private final List<Rejection> rejected = new ArrayList<>();
    private int forcedFailures;

    protected RobotServer(String name, Clock clock) {
        this.name = name;
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds a free port on 127.0.0.1 and starts answering. */
    protected final void bind() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        s.createContext("/", this::handle);
        s.setExecutor(executor);
        s.start();
        server = s;
    }

    /** {@code http://127.0.0.1:PORT}, without a path. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------- what a robot is

    /** The robot's rules: authenticate, rate-limit, validate, in its own order and with its own codes. */
    protected abstract Reply answer(Request r);

    /** The body of an answer, in the robot's own shape (e.g. {@code {"errcode":0,"errmsg":"ok"}}). */
    protected abstract String answerJson(long code, String message);

    /** The robot's rate-limit refusal, for {@link #failNext}. */
    protected abstract Reply rateLimited();

    /**
     * True (and counts one down) while {@link #failNext} has forced failures left: a robot calls it after
     * authentication and answers {@link #rateLimited()}.
     */
    protected final boolean takeForcedFailure() {
        if (forcedFailures > 0) {
            forcedFailures--;
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------- test controls

    /** The next {@code n} authenticated requests get the rate-limit answer, then normal service resumes. */
    public synchronized void failNext(int n) {
        forcedFailures = n;
    }

    public synchronized List<Message> accepted() {
        return List.copyOf(accepted);
    }

    public synchronized List<Rejection> rejected() {
        return List.copyOf(rejected);
    }

    /** The codes of the refusals so far, in order. */
    public synchronized List<Long> rejectedCodes() {
        List<Long> codes = new ArrayList<>();
        rejected.forEach(r -> codes.add(r.code()));
        return codes;
    }

    /** Waits until at least {@code count} messages were accepted; fails with a summary after {@code timeout}. */
    public synchronized List<Message> awaitAccepted(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (accepted.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(name + ": waited " + timeout + " for " + count + " accepted messages; "
                        + summary());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(accepted);
    }

    /** "accepted=N rejected=[code: message, …]", for failure messages. */
    public synchronized String summary() {
        List<String> r = new ArrayList<>();
        rejected.forEach(x -> r.add(x.code() + ": " + x.message()));
        return "accepted=" + accepted.size() + " rejected=" + r;
    }

    // ------------------------------------------------------------------------------------------- plumbing

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            String path = ex.getRequestURI().getPath();
            Reply reply;
            synchronized (this) {
                Instant now = clock.instant();
                JsonNode json = parse(body);
                reply = answer(new Request(now, ex.getRequestMethod(), path, query, body, json));
                if (reply.accepted()) {
                    accepted.add(new Message(now, path, query, body, json));
                } else {
                    rejected.add(new Rejection(now, path, query, body, reply.status(), reply.code(), reply.message()));
                }
                notifyAll();
            }
            if (reply.status() == 204 || reply.status() == 304) {
                ex.sendResponseHeaders(reply.status(), -1); // no body allowed
                return;
            }
            byte[] out = answerJson(reply.code(), reply.message()).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.sendResponseHeaders(reply.status(), out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** The decoded query parameters (first value wins; '+' decodes to a space, as in a real server). */
    static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.putIfAbsent(k, v);
        }
        return Collections.unmodifiableMap(q);
    }

    // ------------------------------------------------------------------------------------------- helpers for robots

    /** The first field of {@code obj} not in {@code allowed}, or null. */
    protected static String unknownField(JsonNode obj, Set<String> allowed) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                return f;
            }
        }
        return null;
    }

    /** Whether {@code node} is an array of strings (or absent). */
    protected static boolean stringArrayOrAbsent(JsonNode node) {
        if (node == null) {
            return true;
        }
        if (!node.isArray()) {
            return false;
        }
        for (JsonNode e : node) {
            if (!e.isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** The UTF-8 size of a string. */
    protected static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Messages accepted in a sliding window, as the robots count them: {@link #full} before accepting,
     * {@link #record} after.
     */
    protected static final class SlidingWindow {
        private final int max;
        private final Duration length;
        private final Deque<Instant> times = new ArrayDeque<>();

        public SlidingWindow(int max, Duration length) {
            this.max = max;
            this.length = length;
        }

        /** Whether {@code max} messages were accepted in the window ending at {@code now}. */
        public boolean full(Instant now) {
            Instant from = now.minus(length);
            while (!times.isEmpty() && !times.peekFirst().isAfter(from)) {
                times.removeFirst();
            }
            return times.size() >= max;
        }

        public void record(Instant now) {
            times.addLast(now);
        }
    }
}
