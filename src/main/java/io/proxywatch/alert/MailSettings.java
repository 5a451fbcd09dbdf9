package io.proxywatch.alert;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where alert mail goes and how to get there (proxywatch.alert.mail.*). {@link #camelUri()} is the camel-mail
 * endpoint the wiring binds as {@code alertMail} (the route sends with {@code to: ref:alertMail}). It holds no
 * secret: the login is a bean named {@link #LOGIN_BEAN} that the wiring binds (camel-mail's
 * {@code DefaultAuthenticator}), because a password in a URI is one Camel log line away from a log file, and no
 * URI form (encoded or RAW()) both survives Camel's parsing and is wholly masked by it for every password. The
 * addresses are not in the URI either: {@link MailComposer} sets them as headers on every mail.
 *
 * @param host     SMTP server
 * @param port     SMTP port (587 is usual for starttls, 465 for smtps, 25 for none)
 * @param username login; empty sends no AUTH
 * @param password password of the login; never logged
 * @param from     sender address
 * @param to       recipients, at least one
 * @param cc       copy recipients, may be empty
 * @param security none (plain text), starttls (upgrade required, no fallback to plain text) or smtps (TLS from the start)
 * @param timeout  connect and read timeout of one send
 */
public record MailSettings(String host, int port, String username, String password, String from, List<String> to,
                           List<String> cc, Security security, Duration timeout) {

    /** Registry name of the login (a camel-mail MailAuthenticator) that {@link #camelUri()} refers to. */
    public static final String LOGIN_BEAN = "alertMailLogin";

    /** How the connection to the SMTP server is protected. */
    public enum Security {
        NONE, STARTTLS, SMTPS;

        /** none, starttls or smtps, in any case. */
        public static Security of(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    public MailSettings {
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(timeout, "timeout");
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        if (host == null || host.isBlank() || host.chars().anyMatch(c -> c <= ' ' || "/?#@&:[]".indexOf(c) >= 0)) {
            throw new IllegalArgumentException("not a host name: " + host);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
        if (to.isEmpty()) {
            throw new IllegalArgumentException("no recipient");
        }
        if (username.isEmpty() && !password.isEmpty()) {
            throw new IllegalArgumentException("a password needs a username");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("not a timeout: " + timeout);
        }
        address(from);
        to.forEach(MailSettings::address);
        cc.forEach(MailSettings::address);
    }

    /** True when a login is configured, i.e. the wiring must bind {@link #LOGIN_BEAN}. */
    public boolean login() {
        return !username.isEmpty();
    }

    /** The camel-mail endpoint URI: transport only (server, security, timeout, login bean); safe to log as is. */
    public String camelUri() {
        String scheme = security == Security.SMTPS ? "smtps" : "smtp";
        StringBuilder uri = new StringBuilder(scheme).append("://").append(host).append(':').append(port)
                .append("?connectionTimeout=").append(timeout.toMillis());
        if (login()) {
            uri.append("&authenticator=#").append(LOGIN_BEAN);
        }
        // camel-mail hands every mail.* option to Jakarta Mail as a session property
        if (security == Security.STARTTLS) {
            uri.append("&mail.smtp.starttls.enable=true&mail.smtp.starttls.required=true")
                    .append("&mail.smtp.ssl.checkserveridentity=true");
        } else if (security == Security.SMTPS) {
            uri.append("&mail.smtps.ssl.checkserveridentity=true");
        }
        return uri.toString();
    }

    /** One line for logs and the start-up banner, password shown as ****. */
    public String masked() {
        return security.name().toLowerCase(Locale.ROOT) + " " + host + ":" + port
                + (login() ? " as " + username + " (password ****)" : " without login")
                + ", from " + from + " to " + String.join(", ", to)
                + (cc.isEmpty() ? "" : " cc " + String.join(", ", cc));
    }

    @Override
    public String toString() {
        return masked(); // a record's own toString would print the password
    }

    /** An address ends up in a header: a line break in it would add headers of its own. */
    private static void address(String a) {
        if (a == null || a.isBlank() || a.chars().anyMatch(c -> c < ' ' || c == 0x7f || c == ',')) {
            throw new IllegalArgumentException("not one mail address: " + a);
        }
    }
}
