package io.proxywatch.alert;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One robot or webhook channel as the alert-robots.yaml routes use it: whether it is on, its quota, the request
 * body and query for one attempt (signed anew each attempt), and the verdict on the answer. The verdict throws
 * {@link ChannelRetryableException} (retried by the route's redelivery) or {@link ChannelRejectedException}
 * (straight to the alert dead-letter file).
 */
public final class RobotChannel {
    private final String name;
    private final boolean on;
    private final int maxPerMinute;
    private final Function<List<Notification>, String> body;
    private final Supplier<String> query;
    private final BiFunction<String, String, ChannelAnswer> answerCheck;
    private final Deque<Long> taken = new ArrayDeque<>(); // when the last quota's worth of messages went out; guarded by this

    /**
     * @param query       the query string for one attempt (a key, a fresh signature), or null for none
     * @param answerCheck (channel, response body) → answer, throwing on a failure; null when any 2xx is success
     */
    public RobotChannel(String name, boolean on, int maxPerMinute, Function<List<Notification>, String> body,
                        Supplier<String> query, BiFunction<String, String, ChannelAnswer> answerCheck) {
        this.name = name;
        this.on = on;
        this.maxPerMinute = maxPerMinute;
        this.body = body;
        this.query = query;
        this.answerCheck = answerCheck;
    }

    public static RobotChannel off(String name) {
        return new RobotChannel(name, false, 1, n -> "", null, null);
    }

    public boolean isOn() {
        return on;
    }

    public int maxPerMinute() {
        return maxPerMinute;
    }

    /** A message passed the quota's throttle now: it counts against the quota for a minute. */
    public void taken() {
        takenAt(System.currentTimeMillis());
    }

    // the seams below have names of their own: Camel's bean binding would see an overload as ambiguous
    synchronized void takenAt(long nowMs) {
        taken.addLast(nowMs);
        while (taken.size() > maxPerMinute) {
            taken.removeFirst();
        }
    }

    /**
     * Whether a digest that began at {@code sinceMs} should go now, as its channel's next notification arrives:
     * it has gathered for {@code waitMs} and the quota has room. While the quota is spent the digest stays open
     * and goes on merging, so a sustained attack makes one digest a quota slot, not a queue of small digests
     * behind the throttle growing for as long as it lasts. A digest nothing more arrives for goes on the
     * aggregator's quiet timeout instead.
     */
    public boolean digestDue(long sinceMs, long waitMs) {
        return digestDueAt(sinceMs, waitMs, System.currentTimeMillis());
    }

    synchronized boolean digestDueAt(long sinceMs, long waitMs, long nowMs) {
        if (nowMs - sinceMs < waitMs) {
            return false;
        }
        return taken.size() < maxPerMinute || nowMs - taken.peekFirst() >= 60_000;
    }

    public String payload(List<Notification> notifications) {
        return body.apply(notifications);
    }

    public String query() {
        return query == null ? null : query.get();
    }

    /** The HTTP status decides first (a gateway's 502 has no errcode); then the robot's own answer in the body. */
    public void check(Integer status, String responseBody) {
        WebhookResponse.check(name, status == null ? 0 : status);
        if (answerCheck != null) {
            answerCheck.apply(name, responseBody);
        }
    }
}
