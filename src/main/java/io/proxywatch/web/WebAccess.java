package io.proxywatch.web;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/**
 * Who may see the dashboard and /metrics: anyone when no password is set (proxywatch then listens on loopback
 * only), else HTTP basic auth with the configured user, or the password as a bearer token (Prometheus'
 * {@code authorization} / {@code bearer_token}). Compared in constant time; the password is never logged.
 *
 * <p>Headers are read from the HTTP request itself, never from the Camel message: platform-http copies query
 * parameters into the message's headers too, so {@code ?Authorization=…} passed for the header (the password in
 * URLs and proxy logs) and {@code ?X-Proxywatch=1} passed the CSRF guard from a cross-site form.
 *
 * <p>Listening on loopback only without a password, a request must name a loopback host: a page of another site
 * whose name was rebound to 127.0.0.1 (DNS rebinding) is same-origin to the browser, and no header check stops it.
 * With a password the rebound page cannot get in anyway, and any name is served (a reverse proxy's public one).
 */
public final class WebAccess {
    private final byte[] basic;
    private final byte[] bearer;
    private final boolean loopbackOnly;

    public WebAccess(String username, String password) {
        this(username, password, false);
    }

    /** @param loopbackOnly the dashboard listens on a loopback address: only loopback Host names are served */
    public WebAccess(String username, String password, boolean loopbackOnly) {
        this.loopbackOnly = loopbackOnly;
        if (password == null || password.isEmpty()) {
            basic = null;
            bearer = null;
        } else {
            basic = ("Basic " + Base64.getEncoder().encodeToString(
                    (username + ':' + password).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
            bearer = ("Bearer " + password).getBytes(StandardCharsets.UTF_8);
        }
    }

    public boolean required() {
        return basic != null;
    }

    /** True when a request with this Authorization header must be turned away. */
    public boolean denied(String authorization) {
        if (basic == null) {
            return false;
        }
        if (authorization == null) {
            return true;
        }
        byte[] given = canonicalScheme(authorization.strip()).getBytes(StandardCharsets.UTF_8);
        // both compared, so the time taken does not tell which scheme came close
        boolean okBasic = MessageDigest.isEqual(given, basic);
        boolean okBearer = MessageDigest.isEqual(given, bearer);
        return !(okBasic | okBearer);
    }

    /** The scheme as we compare it: it is case-insensitive (RFC 9110 §11.1), "bearer x" is "Bearer x". */
    private static String canonicalScheme(String authorization) {
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "Basic " + authorization.substring(6);
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "Bearer " + authorization.substring(7);
        }
        return authorization;
    }

    /** True when the HTTP request behind {@code exchange} must be turned away for its credentials. */
    public boolean deniedRequest(Exchange exchange) {
        HttpServerRequest r = request(exchange);
        return r == null ? required() : denied(r.getHeader("Authorization"));
    }

    /** True when the HTTP request behind {@code exchange} names a host this server does not answer for. */
    public boolean wrongHost(Exchange exchange) {
        HttpServerRequest r = request(exchange);
        return r != null && wrongHostOf(r);
    }

    /**
     * As {@link #wrongHost(Exchange)}: the Host header, or HTTP/2's :authority. (Named apart: the routes bind
     * {@code wrongHost} by name, and Camel's bean binding may find an overload ambiguous.)
     */
    public boolean wrongHostOf(HttpServerRequest r) {
        HostAndPort authority = r.authority();
        return wrongHostName(authority == null ? null : authority.host());
    }

    /** True when {@code host} (a host name or address, no port) is not loopback while listening on loopback only. */
    public boolean wrongHostName(String host) {
        // with a password, a rebound page gets nowhere without it, and a reverse proxy in front (Caddy, Traefik)
        // passes on the public name: only an open loopback dashboard answers for loopback names alone
        if (!loopbackOnly || required()) {
            return false;
        }
        if (host == null) {
            return true;
        }
        // a browser resolves *.localhost to loopback itself (RFC 6761); a bind address is looked up, so not there
        return !(isLoopback(host) || host.strip().toLowerCase(Locale.ROOT).endsWith(".localhost"));
    }

    /**
     * True for {@code localhost} and a literal loopback address ({@code 127.x.y.z}, {@code ::1}, bracketed or not):
     * the bind setting and a request's Host alike. Literal addresses only: never a DNS look-up for either.
     */
    public static boolean isLoopback(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost")) {
            return true;
        }
        try {
            return h.matches("[0-9.]+|[0-9a-f:]+") && InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * True when a state-changing request behind {@code exchange} comes from the dashboard's own page: it sends the
     * header {@code X-Proxywatch: 1} and a JSON body, neither of which a cross-site form can, and a cross-site
     * script may not without a CORS preflight this server never grants; and the browser, where it says, does not
     * call it cross-site ({@code Sec-Fetch-Site}, {@code Origin}).
     */
    public boolean sameSiteWrite(Exchange exchange) {
        HttpServerRequest r = request(exchange);
        if (r == null || !"1".equals(r.getHeader("X-Proxywatch"))) {
            return false;
        }
        String type = r.getHeader("Content-Type");
        if (type == null || !type.strip().toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return false;
        }
        // the browser's own word when it gives it; behind a reverse proxy that rewrites Host (nginx's default) the
        // Origin names the public host, so comparing the two would refuse the dashboard's own page
        String site = r.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return site.equals("same-origin") || site.equals("none");
        }
        String origin = r.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        HostAndPort authority = r.authority();
        String forwarded = r.getHeader("X-Forwarded-Host");
        return authority != null && sameHost(origin, authority.host() + (authority.port() < 0 ? "" : ":"
                + authority.port())) || forwarded != null && sameHost(origin, forwarded.split(",")[0].strip());
    }

    private static boolean sameHost(String origin, String host) {
        return origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host);
    }

    private static HttpServerRequest request(Exchange exchange) {
        return exchange.getIn() instanceof HttpMessage m ? m.getRequest() : null;
    }
}
