package io.proxywatch.alert;

/**
 * A channel refused the message for good (wrong key or signature, keyword or IP check, a message it will never
 * take): retrying only repeats the refusal. Report it loudly; the alert itself is still in alerts.log.
 */
public class ChannelRejectedException extends RuntimeException {
    private final String channel;
    private final transient ChannelAnswer answer;

    public ChannelRejectedException(String channel, ChannelAnswer answer) {
        super(channel + " rejected the message: errcode " + answer.code() + ", errmsg '"
                + Responses.printable(answer.message()) + "' (" + answer.description() + ")");
        this.channel = channel;
        this.answer = answer;
    }

    public String channel() {
        return channel;
    }

    public ChannelAnswer answer() {
        return answer;
    }
}
