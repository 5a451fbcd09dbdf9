package io.proxywatch.alert;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the notifications that arrive within one digest interval into one exchange whose body is a
 * {@code List<Notification>}, in arrival order, so that a burst of incidents becomes one mail, not a mail storm.
 */
public final class NotificationDigest implements AggregationStrategy {
    /** Exchange property: when the digest's first notification came, epoch ms (RobotChannel.digestDue reads it). */
    public static final String SINCE = "ProxywatchDigestSince";

    @Override
    public Exchange aggregate(Exchange digest, Exchange next) {
        Object body = next.getMessage().getBody();
        if (!(body instanceof Notification notification)) {
            // a wrong body is a wiring bug: fail the sender rather than mail nothing
            throw new IllegalArgumentException("a digest collects Notification bodies, not "
                    + (body == null ? "null" : body.getClass().getName()));
        }
        if (digest == null) {
            List<Notification> list = new ArrayList<>();
            list.add(notification);
            next.getMessage().setBody(list);
            next.setProperty(SINCE, System.currentTimeMillis());
            return next;
        }
        notifications(digest).add(notification);
        return digest;
    }

    @SuppressWarnings("unchecked")
    private static List<Notification> notifications(Exchange digest) {
        return (List<Notification>) digest.getMessage().getBody(List.class);
    }
}
