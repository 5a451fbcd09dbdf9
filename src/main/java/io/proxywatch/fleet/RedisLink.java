package io.proxywatch.fleet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The one connection to the fleet's Redis, used by the flusher only (the pipeline thread never touches it). The
 * first failure marks the link down at once, with one WARN line, and detection counts locally; while down, a
 * reconnect is tried at most every {@code retryMs}, and the first success marks it up again with one INFO line.
 * The pipeline thread only reads {@link #isUp()}.
 */
final class RedisLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch.fleet");

    private final RedisEndpoint endpoint;
    private final JedisClientConfig config;
    private final Clock clock;
    private final long retryMs;
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private Jedis jedis;
    private String windowSha;
    private long lastAttemptMs = Long.MIN_VALUE / 2;
    private volatile boolean up = true; // optimistic until the first flush says otherwise
    private volatile boolean closed;
    private volatile String lastError = "";

    RedisLink(RedisEndpoint endpoint, String password, String clientName, int timeoutMs, long retryMs, Clock clock) {
        this.endpoint = endpoint;
        this.clock = clock;
        this.retryMs = retryMs;
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMs).socketTimeoutMillis(timeoutMs)
                .database(endpoint.database()).ssl(endpoint.tls()).clientName(clientName)
                .autoNegotiateProtocol(false); // RESP2: all the scripts and pipelines need, and no warning per connect
        if (endpoint.user() != null) {
            b.user(endpoint.user());
        }
        if (password != null && !password.isEmpty()) {
            b.password(password);
        }
        this.config = b.build();
    }

    /** False from the first failure until Redis answers again: detection then counts locally. */
    boolean isUp() {
        return up && !closed;
    }

    /**
     * Runs {@code work} on the connection (connecting first if needed), or returns null without waiting when
     * Redis cannot be reached, now or at the last attempt less than {@code retryMs} ago.
     */
    synchronized <T> T call(Function<Connection, T> work) {
        if (closed || (!up && clock.millis() - lastAttemptMs < retryMs)) {
            return null;
        }
        try {
            if (jedis == null) {
                lastAttemptMs = clock.millis();
                jedis = new Jedis(new HostAndPort(endpoint.host(), endpoint.port()), config);
                windowSha = jedis.scriptLoad(WindowScript.TEXT); // a restarted Redis has forgotten it
            }
            T result = work.apply(new Connection(jedis, windowSha));
            if (!up) {
                up = true;
                LOG.info("fleet: Redis {} answers again; rate windows are shared again", endpoint.describe());
            }
            return result;
        } catch (JedisException e) {
            fail(e);
            return null;
        }
    }

    /** The replies of a pipeline, or the first error among them thrown, so that it counts as a failure. */
    static List<Object> orFirstError(List<Object> replies) {
        for (Object o : replies) {
            if (o instanceof JedisException e) {
                throw e;
            }
        }
        return replies;
    }

    private void fail(Exception e) {
        errors.incrementAndGet();
        lastError = String.valueOf(e.getMessage());
        lastAttemptMs = clock.millis();
        closeQuietly();
        if (up && !closed) {
            up = false;
            fallbacks.incrementAndGet();
            LOG.warn("fleet: Redis {} unreachable ({}); rate windows fall back to this instance's own counts until it"
                    + " answers again", endpoint.describe(), lastError);
        }
    }

    long fallbacks() {
        return fallbacks.get();
    }

    long errors() {
        return errors.get();
    }

    String lastError() {
        return lastError;
    }

    RedisEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly();
    }

    private void closeQuietly() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // the connection is gone either way
            }
            jedis = null;
        }
    }

    /** The open connection and the SHA of the window script loaded on it. */
    record Connection(Jedis jedis, String windowSha) {
    }
}
