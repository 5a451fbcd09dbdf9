package io.proxywatch.fleet;

import java.util.regex.Pattern;

/**
 * Names of the fleet's Redis keys. Every key of one client sits under the fleet's prefix and carries the client
 * address as its hash tag, {@code pw:<fleet>:{203.0.113.9}:ip-burst}, so Redis Cluster keeps all of a client's
 * counters on one slot and one script call can update them together.
 */
final class FleetKeys {
    private static final Pattern PLAIN_ADDRESS = Pattern.compile("[0-9A-Za-z.:%_-]{1,64}");

    private final String prefix;

    FleetKeys(String fleet) {
        this.prefix = "pw:" + fleet + ":";
    }

    /** The counter hash of {@code rule} for {@code ip} (and {@code path}, for ip_path rules). */
    String counter(String rule, String ip, String path) {
        StringBuilder sb = new StringBuilder(prefix.length() + 64).append(prefix).append('{').append(tag(ip))
                .append("}:").append(rule);
        if (path != null) {
            // paths are attacker-chosen and unbounded: a fixed-size hash keeps keys short
            sb.append(':').append(Long.toHexString(fnv(path)));
        }
        return sb.toString();
    }

    /** The key whose SET NX decides which instance raises the alert for a counter's burst. */
    String alert(String counterKey) {
        return counterKey + ":alert";
    }

    /** The address itself when it looks like one; anything else (braces would break the tag) as a hash. */
    private static String tag(String ip) {
        return PLAIN_ADDRESS.matcher(ip).matches() ? ip : "h" + Long.toHexString(fnv(ip));
    }

    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
