package io.proxywatch.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.proxywatch.alert.AlertGrouper;
import io.proxywatch.alert.Silence;
import io.proxywatch.record.Jackson;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/silence}: {@code {"rule":"sqli-union-select","key":"203.0.113.9","minutes":60}} silences that
 * incident (rule and key are {@link Silence} globs, as in proxywatch.alert.silences) for that long. Bound as
 * {@code dashboardSilences}. Lasts until the time given or a restart: silences meant to outlive a restart belong in
 * proxywatch.alert.silences.
 */
public final class SilenceRequests {
    static final int MAX_TEXT = 200;
    static final long MAX_MINUTES = Duration.ofDays(7).toMinutes();

    // one JSON object and nothing after it, each key once: a request is read as exactly what it says
    private static final ObjectReader STRICT = Jackson.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final AlertGrouper grouper;
    private final Clock clock;

    public SilenceRequests(AlertGrouper grouper, Clock clock) {
        this.grouper = grouper;
        this.clock = clock;
    }

    /**
     * Adds the silence and returns it as Jackson.mapper().
     *
     * @throws IllegalArgumentException saying what is wrong with the request (answered as 400)
     */
    public String create(String body) {
        JsonNode req;
        try {
            req = STRICT.readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not JSON: expected {\"rule\":..., \"key\":..., \"minutes\":...}");
        }
        if (req == null || !req.isObject()) {
            throw new IllegalArgumentException("expected a JSON object {\"rule\":..., \"key\":..., \"minutes\":...}");
        }
        String rule = text(req, "rule");
        String key = text(req, "key");
        JsonNode minutes = req.get("minutes");
        if (minutes == null || !minutes.isIntegralNumber() || !minutes.canConvertToLong() || minutes.asLong() < 1
                || minutes.asLong() > MAX_MINUTES) {
            throw new IllegalArgumentException("minutes: a whole number from 1 to " + MAX_MINUTES);
        }
        Instant until = clock.instant().plus(Duration.ofMinutes(minutes.asLong()));
        grouper.silence(new Silence(rule, key, until));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rule", rule);
        out.put("key", key);
        out.put("until", until.toString());
        return DashboardJson.write(out);
    }

    private static String text(JsonNode req, String field) {
        JsonNode v = req.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank() || v.asText().length() > MAX_TEXT) {
            throw new IllegalArgumentException(field + ": a non-empty string of at most " + MAX_TEXT + " characters");
        }
        return v.asText();
    }
}
