package io.proxywatch.alert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which channels hear about which severity (proxywatch.alert.route.critical=wecom, ...), as the endpoint list the
 * alert-notify route's recipient list sends to. {@code log} means alerts.log and the log line only, which every
 * alert gets anyway.
 */
public final class AlertRouting {
    public static final List<String> SEVERITIES = List.of("critical", "high", "warning", "info");
    public static final List<String> CHANNELS = List.of("wecom", "mail", "webhook", "dingtalk", "feishu", "log");

    private final Map<String, List<String>> endpoints = new LinkedHashMap<>();

    /**
     * @param channelsBySeverity severity → comma-separated channel names
     * @throws IllegalArgumentException naming the severity and the unknown channel
     */
    public AlertRouting(Map<String, String> channelsBySeverity) {
        for (String severity : SEVERITIES) {
            List<String> uris = new ArrayList<>();
            for (String c : channelsBySeverity.getOrDefault(severity, "").split(",")) {
                String channel = c.trim();
                if (channel.isEmpty() || channel.equals("log")) {
                    continue;
                }
                if (!CHANNELS.contains(channel)) {
                    throw new IllegalArgumentException(severity + ": unknown channel '" + channel + "' (known: "
                            + String.join(", ", CHANNELS) + ")");
                }
                uris.add("direct:alert-" + channel);
            }
            endpoints.put(severity, List.copyOf(uris));
        }
    }

    public List<String> endpoints(String severity) {
        return endpoints.getOrDefault(severity, List.of());
    }

    /** For the banner: critical→wecom, high→wecom, ...; a channel not in {@code on} is marked (off). */
    public String describe(Set<String> on) {
        StringBuilder sb = new StringBuilder();
        endpoints.forEach((sev, uris) -> sb.append(sb.length() == 0 ? "" : ", ").append(sev).append("→")
                .append(uris.isEmpty() ? "log" : String.join("+", uris.stream().map(AlertRouting::channel)
                        .map(c -> on.contains(c) ? c : c + " (off)").toList())));
        return sb.toString();
    }

    /** The severities whose every channel is off, in order: their alerts reach alerts.log and the log only. */
    public List<String> unheard(Set<String> on) {
        List<String> out = new ArrayList<>();
        endpoints.forEach((sev, uris) -> {
            if (!uris.isEmpty() && uris.stream().map(AlertRouting::channel).noneMatch(on::contains)) {
                out.add(sev);
            }
        });
        return out;
    }

    private static String channel(String uri) {
        return uri.substring("direct:alert-".length());
    }
}
