package io.proxywatch.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Who may see the dashboard and /metrics: anyone when no password is set (proxywatch then listens on loopback
 * only), else HTTP basic auth with the configured user, or the password as a bearer token (Prometheus'
 * {@code authorization} / {@code bearer_token}). Compared in constant time; the password is never logged.
 */
public final class WebAccess {
    private final byte[] basic;
    private final byte[] bearer;

    public WebAccess(String username, String password) {
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
        byte[] given = authorization.strip().getBytes(StandardCharsets.UTF_8);
        // both compared, so the time taken does not tell which scheme came close
        boolean okBasic = MessageDigest.isEqual(given, basic);
        boolean okBearer = MessageDigest.isEqual(given, bearer);
        return !(okBasic | okBearer);
    }
}
