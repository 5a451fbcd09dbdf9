package io.proxywatch.alert;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.mail.MailConstants;

import java.util.List;

/**
 * Turns a digest ({@code List<Notification>}) into what camel-mail sends: the HTML as the body (text/html) and the
 * plain text in camel-mail's alternative-body header, which makes a multipart/alternative mail with the text part
 * first and the HTML part second (the one mail clients prefer); Subject, From, To and Cc as headers.
 */
public final class MailComposer {
    private final MailSettings settings;

    /**
     * @param settings the addresses; null while mail is off (the route still needs this bean to start, but its
     *                 filter lets no digest through)
     */
    public MailComposer(MailSettings settings) {
        this.settings = settings;
    }

    public void compose(Exchange exchange) {
        if (settings == null) {
            throw new IllegalStateException("mail is off (proxywatch.alert.mail.host is empty)");
        }
        Message message = exchange.getMessage();
        @SuppressWarnings("unchecked")
        List<Notification> digest = message.getBody(List.class);
        MailMessage mail = new MailMessage(digest);
        // camel-mail writes every remaining header into the mail: only ours may be there
        message.removeHeaders("*");
        message.setHeader("Subject", mail.subject());
        message.setHeader("From", settings.from());
        message.setHeader("To", String.join(", ", settings.to()));
        if (!settings.cc().isEmpty()) {
            message.setHeader("Cc", String.join(", ", settings.cc()));
        }
        message.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=UTF-8");
        message.setHeader(MailConstants.MAIL_ALTERNATIVE_BODY, mail.text());
        message.setBody(mail.html());
    }
}
