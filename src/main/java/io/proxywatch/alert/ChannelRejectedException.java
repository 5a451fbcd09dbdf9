package io.proxywatch.alert;

/**
 * A channel refused the message for good (wrong key or signature, keyword or IP check, a message it will never
 * take): retrying only repeats the refusal. Report it loudly; the alert itself is still in alerts.log.
 */
public class ChannelRejectedException extends ChannelException {
    public ChannelRejectedException(String channel, ChannelAnswer answer) {
        super(channel, "rejected the message", answer);
    }
}
