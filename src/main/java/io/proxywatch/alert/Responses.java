package io.proxywatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxywatch.record.Jackson;

/** Reading a robot's JSON answer, shared by the channels' response classes. */
final class Responses {
    private static final int SNIPPET_CHARS = 160;

    private Responses() {
    }

    /** The answer as a JSON object, or null when it is not one (empty, HTML, truncated…). */
    static JsonNode object(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode n = Jackson.mapper().readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The number at {@code field}, or null when absent or not a number. */
    static Long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isIntegralNumber() ? v.asLong() : null;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** RETRY for an answer that is not the robot's JSON: something between us and it answered instead. */
    static ChannelAnswer notJson(String body) {
        String what = body == null || body.isBlank() ? "an empty answer"
                : "an answer that is not the robot's JSON (a proxy's or gateway's error page?): '"
                + PlainText.loggable(body.length() > SNIPPET_CHARS ? body.substring(0, SNIPPET_CHARS) + "…" : body) + "'";
        return ChannelAnswer.retry(-1, "", what, null);
    }
}
