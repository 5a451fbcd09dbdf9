package io.proxywatch.alert;

/**
 * A channel did not take the message now but may later (rate limited, busy, a gateway's error page): the route's
 * redelivery policy should try again, after {@link ChannelAnswer#retryAfter()} when the channel named a wait.
 */
public class ChannelRetryableException extends ChannelException {
    public ChannelRetryableException(String channel, ChannelAnswer answer) {
        super(channel, "did not take the message, will retry", answer);
    }
}
