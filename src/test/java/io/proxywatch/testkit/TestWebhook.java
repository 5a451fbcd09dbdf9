package io.proxywatch.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Clock;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A generic JSON webhook receiver on 127.0.0.1 for proxywatch's webhook channel: {@code POST /alerts} with a JSON
 * object body answered {@code 204}-like {@code 200 {}}; anything else 400 (not JSON) or 404 (another path). A
 * test queues other statuses with {@link #answerNext(int...)} (e.g. 503, 503, then normal service) and
 * {@link #failNext(int)} answers 429 the next N times. The body is not checked beyond being a JSON object: the
 * schema belongs to {@code WebhookMessageTest}.
 */
public final class TestWebhook extends RobotServer {
    public static final String PATH = "/alerts";
    private final Deque<Integer> queued = new ConcurrentLinkedDeque<>();

    private TestWebhook(Clock clock) {
        super("webhook", clock);
    }

    public static TestWebhook start() throws IOException {
        TestWebhook t = new TestWebhook(Clock.systemUTC());
        t.bind();
        return t;
    }

    public String url() {
        return baseUrl() + PATH;
    }

    /** Answer these statuses to the next requests, in order (a 2xx among them accepts). */
    public void answerNext(int... statuses) {
        for (int s : statuses) {
            queued.addLast(s);
        }
    }

    @Override
    protected Reply answer(Request r) {
        if (!PATH.equals(r.path()) || !"POST".equals(r.method())) {
            return Reply.refuse(404, 404, "not found");
        }
        if (takeForcedFailure()) {
            return rateLimited();
        }
        Integer status = queued.pollFirst();
        if (status != null && (status < 200 || status > 299)) {
            return Reply.refuse(status, status, "queued answer");
        }
        JsonNode body = r.json();
        if (body == null || !body.isObject()) {
            return Reply.refuse(400, 400, "not a JSON object");
        }
        return new Reply(true, status == null ? 200 : status, 0, "ok");
    }

    @Override
    protected Reply rateLimited() {
        return Reply.refuse(429, 429, "too many requests");
    }

    @Override
    protected String answerJson(long code, String message) {
        return "{}";
    }
}
