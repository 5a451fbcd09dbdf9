package io.proxywatch.alert;

/** A channel's answer that was not a success, with the channel's name and its own code and message. */
public abstract class ChannelException extends RuntimeException {
    private final String channel;
    private final transient ChannelAnswer answer;

    protected ChannelException(String channel, String what, ChannelAnswer answer) {
        super(channel + " " + what + ": errcode " + answer.code() + ", errmsg '"
                + PlainText.loggable(answer.message()) + "' (" + answer.description() + ")");
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
