package io.proxywatch.fleet;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where the fleet's Redis is: {@code redis://[user@]host[:port][/db]}, or {@code rediss://} for TLS (the JVM's
 * CAs verify the server). A password in the URL is refused: it would end up in properties files and process
 * lists, so it comes from PROXYWATCH_FLEET_REDIS_PASSWORD or a file instead.
 */
public record RedisEndpoint(String host, int port, int database, String user, boolean tls) {
    public static final int DEFAULT_PORT = 6379;

    /** Parses {@code url}; the exception's message never repeats the URL, in case it holds a secret. */
    public static RedisEndpoint parse(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL (" + e.getReason() + "); expected redis://host:port/db");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("the scheme must be redis:// or rediss:// (TLS)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("no host; expected redis://host:port/db");
        }
        String user = uri.getUserInfo();
        if (user != null && user.contains(":")) {
            throw new IllegalArgumentException("the URL holds a password; give it with PROXYWATCH_FLEET_REDIS_PASSWORD"
                    + " or proxywatch.fleet.redis-password-file instead");
        }
        int db = 0;
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!path.isEmpty() && !path.equals("/")) {
            try {
                db = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                db = -1;
            }
            if (db < 0) {
                throw new IllegalArgumentException("the path must be a database number, e.g. redis://host:6379/0");
            }
        }
        if (uri.getQuery() != null) {
            throw new IllegalArgumentException("options after '?' are not read; the password comes from"
                    + " PROXYWATCH_FLEET_REDIS_PASSWORD");
        }
        return new RedisEndpoint(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), db,
                user == null || user.isEmpty() ? null : user, scheme.equals("rediss"));
    }

    /** For logs and the banner: never holds a secret. */
    public String describe() {
        return (tls ? "rediss://" : "redis://") + (user == null ? "" : user + "@") + host + ":" + port + "/" + database;
    }
}
