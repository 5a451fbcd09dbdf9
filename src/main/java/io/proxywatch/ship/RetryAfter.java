package io.proxywatch.ship;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Runs after every failed attempt to send a batch, before Camel decides on the next delay: honours a
 * {@code Retry-After} (seconds or an HTTP date) by setting the redelivery delay for the next attempt (capped
 * at the configured maximum), marks the collector down and counts the retry.
 */
public final class RetryAfter implements Processor {
    private final long maxDelayMs;
    private final CollectorState state;
    private final ShipStats stats;
    private final String connectionHint;

    /**
     * @param connectionHint said after a connection-level failure (no HTTP status), or null: a collector that
     *                       demands a client certificate under TLS 1.3 just closes the socket, and "Broken pipe"
     *                       alone does not tell an operator what to fix
     */
    public RetryAfter(long maxDelayMs, CollectorState state, ShipStats stats, String connectionHint) {
        this.maxDelayMs = maxDelayMs;
        this.state = state;
        this.stats = stats;
        this.connectionHint = connectionHint;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause == null) {
            cause = exchange.getException();
        }
        stats.retries.incrementAndGet();
        String why = describe(cause);
        if (connectionHint != null && !(cause instanceof HttpOperationFailedException)) {
            why += "; " + connectionHint;
        }
        state.failed(why);
        Long delay = cause instanceof HttpOperationFailedException h ? delayMs(h.getResponseHeaders()) : null;
        if (delay != null) {
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, Math.min(delay, maxDelayMs));
        } else {
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        }
    }

    static Long delayMs(Map<String, String> headers) {
        if (headers == null) {
            return null;
        }
        String value = null;
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase("Retry-After")) {
                value = e.getValue();
            }
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        value = value.strip();
        try {
            return Math.max(0, Long.parseLong(value)) * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    static String describe(Throwable t) {
        if (t instanceof HttpOperationFailedException h) {
            return "HTTP " + h.getStatusCode();
        }
        if (t == null) {
            return "unknown";
        }
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 400; c = c.getCause()) {
            sb.append(sb.length() > 0 ? " <- " : "").append(c.getClass().getSimpleName()).append(": ")
                    .append(c.getMessage());
        }
        return sb.toString();
    }
}
