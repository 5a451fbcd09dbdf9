package io.proxywatch.alert;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A channel URL as it may appear in a log: the robot URLs carry their credential in the URL itself (WeCom
 * {@code ?key=}, DingTalk {@code ?access_token=…&sign=}, Feishu {@code /hook/TOKEN}), so every log line, error
 * and status page that names a channel URL goes through {@link #mask}.
 */
public final class SecretUrl {
    public static final String MASK = "****";
    /** Query parameters whose value is a credential (compared case-insensitively, after URL-decoding the name). */
    static final Set<String> SECRET_PARAMS = Set.of("key", "access_token", "token", "sign", "secret");

    private SecretUrl() {
    }

    /**
     * {@code url} with the value of each secret query parameter, every path segment after {@code /hook/} and the
     * password of any user-info replaced by {@value #MASK}. Never throws: an unparseable URL is masked as far as
     * it can be read; null gives "".
     */
    public static String mask(String url) {
        if (url == null) {
            return "";
        }
        String fragment = "";
        int hash = url.indexOf('#');
        if (hash >= 0) {
            fragment = url.substring(hash);
            url = url.substring(0, hash);
        }
        String query = null;
        int q = url.indexOf('?');
        if (q >= 0) {
            query = url.substring(q + 1);
            url = url.substring(0, q);
        }
        StringBuilder out = new StringBuilder(maskPath(maskUserInfo(url)));
        if (query != null) {
            out.append('?').append(maskQuery(query));
        }
        return out.append(fragment.isEmpty() ? "" : "#" + MASK).toString();
    }

    /**
     * Scheme, host and port only, the rest masked: for a URL whose secret may be anywhere in its path or query.
     * {@code https://hooks.slack.com/services/T/B/X} is {@code https://hooks.slack.com/****}.
     */
    public static String origin(String url) {
        if (url == null) {
            return "";
        }
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        String authority = maskUserInfo(url.substring(0, end));
        return end < url.length() ? authority + "/" + MASK : authority;
    }

    private static String maskUserInfo(String url) {
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int slash = url.indexOf('/', start);
        int end = slash < 0 ? url.length() : slash;
        int at = url.lastIndexOf('@', end - 1);
        if (at < start) {
            return url;
        }
        int colon = url.indexOf(':', start);
        return colon >= 0 && colon < at ? url.substring(0, colon + 1) + MASK + url.substring(at) : url;
    }

    private static String maskPath(String path) {
        int hook = path.indexOf("/hook/");
        if (hook < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.substring(0, hook + "/hook/".length()));
        String rest = path.substring(hook + "/hook/".length());
        String[] segments = rest.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            out.append(i == 0 ? "" : "/").append(segments[i].isEmpty() ? "" : MASK);
        }
        return out.toString();
    }

    private static String maskQuery(String query) {
        StringJoiner out = new StringJoiner("&");
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            out.add(eq >= 0 && SECRET_PARAMS.contains(decode(name).toLowerCase(Locale.ROOT)) ? name + "=" + MASK : pair);
        }
        return out.toString();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
