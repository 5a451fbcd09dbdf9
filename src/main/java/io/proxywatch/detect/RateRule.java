package io.proxywatch.detect;

import io.proxywatch.rules.RulesError;
import io.proxywatch.rules.RulesYaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * More than {@code limit} requests per key inside {@code window}.
 *
 * @param key what is counted: {@code ip}, {@code ip_path} or {@code ip_404} (only answers with status 404)
 */
public record RateRule(String id, String key, int limit, Duration window, String severity) {
    public static final List<String> KEYS = List.of("ip", "ip_path", "ip_404");
    public static final int DEFAULT_MAX_KEYS = 100_000;
    /** The highest limit: the windows count up to {@link CounterTable#MAX_COUNT} requests a key. */
    public static final int MAX_LIMIT = 500_000;

    /** Slot length of the rule's sliding window: an eighth of it. */
    public long slotMs() {
        return Math.max(1, window.toMillis() / CounterTable.SLOTS);
    }

    /** IPv6 clients are counted by their /64 network: one host's addresses (see {@link ClientPrefix}). */
    public static final int DEFAULT_IPV6_PREFIX = 64;

    /** The {@code rate:} section: {@code max-keys}, {@code ipv6-prefix} and {@code rules}. */
    public record Section(int maxKeys, List<RateRule> rules, int ipv6Prefix) {
        public static final Section NONE = new Section(DEFAULT_MAX_KEYS, List.of());

        public Section(int maxKeys, List<RateRule> rules) {
            this(maxKeys, rules, DEFAULT_IPV6_PREFIX);
        }
    }

    public static Section fromYaml(Object node, Map<String, String> severities, String where) {
        if (node == null) {
            return Section.NONE;
        }
        Map<String, Object> m = RulesYaml.map(node, where);
        RulesYaml.onlyKeys(m, Set.of("max-keys", "ipv6-prefix", "rules"), where);
        long maxKeys = RulesYaml.number(m, "max-keys", where, DEFAULT_MAX_KEYS);
        if (maxKeys < 1 || maxKeys > 10_000_000) {
            throw new RulesError(where + ".max-keys", "must be 1 to 10000000, found " + maxKeys);
        }
        long ipv6Prefix = RulesYaml.number(m, "ipv6-prefix", where, DEFAULT_IPV6_PREFIX);
        if (ipv6Prefix < 16 || ipv6Prefix > 128) {
            throw new RulesError(where + ".ipv6-prefix", "must be 16 to 128, found " + ipv6Prefix);
        }
        List<?> list = RulesYaml.list(m.get("rules"), where + ".rules");
        List<RateRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = where + ".rules[" + i + "]";
            Map<String, Object> r = RulesYaml.map(list.get(i), at);
            RulesYaml.onlyKeys(r, Set.of("id", "key", "limit", "window", "severity"), at);
            String id = RulesYaml.string(r, "id", at);
            if (!ids.add(id)) {
                throw new RulesError(at + ".id", "'" + id + "' is used twice");
            }
            String key = RulesYaml.string(r, "key", at);
            if (!KEYS.contains(key)) {
                throw new RulesError(at + ".key", "must be one of " + String.join(", ", KEYS) + ", found '" + key + "'");
            }
            long limit = RulesYaml.number(r, "limit", at, -1);
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new RulesError(at + ".limit", limit == -1 ? "missing"
                        : "must be 1 to " + MAX_LIMIT + ", found " + limit);
            }
            Duration window = RulesYaml.duration(r, "window", at, null);
            if (window == null || window.toMillis() < 10) {
                throw new RulesError(at + ".window", window == null ? "missing" : "must be at least 10ms");
            }
            String severity = RulesYaml.severity(RulesYaml.string(r, "severity", at,
                    severities.getOrDefault("rate", "high")), at + ".severity");
            rules.add(new RateRule(id, key, (int) limit, window, severity));
        }
        return new Section((int) maxKeys, List.copyOf(rules), (int) ipv6Prefix);
    }
}
