package io.proxywatch.alert;

import java.time.Duration;

/**
 * What a channel's answer means for the message: delivered, worth another try, or refused for good. The routes
 * own the retry schedule (like Fluent Bit's OK / RETRY / ERROR); the answer only says which case it is and, when
 * the channel told us, how long to wait.
 *
 * @param outcome     OK, RETRY or FAIL
 * @param code        the channel's code (errcode, code), or -1 when the answer had none (e.g. not JSON)
 * @param message     the channel's own message (errmsg, msg), as it came, possibly empty
 * @param description one line for proxywatch's log saying what happened and what to do; no secrets
 * @param retryAfter  how long to wait before retrying when the channel's rules say so, else null
 */
public record ChannelAnswer(Outcome outcome, long code, String message, String description, Duration retryAfter) {
    public enum Outcome {
        /** Delivered. */
        OK,
        /** Not delivered now: rate limited, busy, or a gateway in the way; the same message may succeed later. */
        RETRY,
        /** Refused for good: a wrong key or signature, or a message the channel will never take. */
        FAIL
    }

    public boolean ok() {
        return outcome == Outcome.OK;
    }

    /**
     * This answer when OK; otherwise throws {@link ChannelRetryableException} (RETRY) or
     * {@link ChannelRejectedException} (FAIL), their message naming the channel, code and message.
     */
    public ChannelAnswer orThrow(String channel) {
        return switch (outcome) {
            case OK -> this;
            case RETRY -> throw new ChannelRetryableException(channel, this);
            case FAIL -> throw new ChannelRejectedException(channel, this);
        };
    }

    static ChannelAnswer ok(long code, String message) {
        return new ChannelAnswer(Outcome.OK, code, message, "delivered", null);
    }

    static ChannelAnswer retry(long code, String message, String description, Duration after) {
        return new ChannelAnswer(Outcome.RETRY, code, message, description, after);
    }

    static ChannelAnswer fail(long code, String message, String description) {
        return new ChannelAnswer(Outcome.FAIL, code, message, description, null);
    }
}
