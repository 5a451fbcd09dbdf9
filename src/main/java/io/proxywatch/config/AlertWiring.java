package io.proxywatch.config;

import io.proxywatch.alert.AlertDeadLetters;
import io.proxywatch.alert.AlertGrouper;
import io.proxywatch.alert.AlertRouting;
import io.proxywatch.alert.AlertStats;
import io.proxywatch.alert.ChannelRetryAfter;
import io.proxywatch.alert.DingtalkMessage;
import io.proxywatch.alert.DingtalkResponse;
import io.proxywatch.alert.FeishuMessage;
import io.proxywatch.alert.FeishuResponse;
import io.proxywatch.alert.MailComposer;
import io.proxywatch.alert.MailSettings;
import io.proxywatch.alert.NotificationDigest;
import io.proxywatch.alert.RobotChannel;
import io.proxywatch.alert.SecretUrl;
import io.proxywatch.alert.Silence;
import io.proxywatch.alert.WebhookMessage;
import io.proxywatch.alert.WecomMessage;
import io.proxywatch.alert.WecomResponse;
import io.proxywatch.store.RollingFile;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mail.DefaultAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The alert stage's beans, from proxywatch.alert.*; part of {@link ProxywatchConfiguration}. */
final class AlertWiring {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch");

    private AlertWiring() {
    }

    record Wired(String banner, AlertGrouper grouper, AlertStats stats) {
    }

    static Wired wire(CamelContext context, Settings s, LiveState live, Path dataDir, long maxFileBytes, int maxFiles) {
        Clock clock = Clock.systemUTC();
        var registry = context.getRegistry();

        Map<String, String> routes = new LinkedHashMap<>();
        for (String severity : AlertRouting.SEVERITIES) {
            routes.put(severity, s.string("proxywatch.alert.route." + severity));
        }
        AlertRouting routing;
        try {
            routing = new AlertRouting(routes);
        } catch (IllegalArgumentException e) {
            String severity = e.getMessage().substring(0, e.getMessage().indexOf(':'));
            throw Settings.bad("proxywatch.alert.route." + severity, routes.get(severity), e.getMessage());
        }
        List<Silence> silences;
        try {
            silences = Silence.parseAll(s.string("proxywatch.alert.silences"));
        } catch (IllegalArgumentException e) {
            throw Settings.bad("proxywatch.alert.silences", s.string("proxywatch.alert.silences"), e.getMessage());
        }
        AlertGrouper.Timings timings = new AlertGrouper.Timings(
                Duration.ofMillis(s.longAtLeast("proxywatch.alert.group-wait-ms", 0)),
                Duration.ofMillis(s.longAtLeast("proxywatch.alert.group-interval-ms", 1000)),
                Duration.ofMillis(s.longAtLeast("proxywatch.alert.repeat-interval-ms", 1000)),
                Duration.ofMillis(s.longAtLeast("proxywatch.alert.resolve-timeout-ms", 1000)));
        int maxIncidents = s.intAtLeastOrAuto("proxywatch.alert.max-incidents", 1,
                () -> AlertGrouper.maxGroupsForHeap(Runtime.getRuntime().maxMemory()));
        // open incidents outlive a reload, so an attack in progress is not paged twice
        AlertGrouper grouper = live.keep("alertGrouper", List.of(timings, maxIncidents, s.string("proxywatch.alert.silences")),
                () -> new AlertGrouper(clock, timings, maxIncidents, silences));
        s.longAtLeast("proxywatch.alert.digest-wait-ms", 1); // read by the channel routes; checked here
        s.longAtLeast("proxywatch.alert.notify-interval-ms", 10); // read by alert.yaml; checked here
        s.intAtLeast("proxywatch.alert.retry.max-redeliveries", 0);
        long initialDelay = s.longAtLeast("proxywatch.alert.retry.initial-delay-ms", 1);
        s.longAtLeast("proxywatch.alert.retry.max-delay-ms", initialDelay);
        long timeoutMs = s.longAtLeast("proxywatch.alert.timeout-ms", 100);

        AlertStats stats = live.keep("alertStats", null, AlertStats::new); // totals since start, across reloads
        Path dead = s.pathOr("proxywatch.alert.dead-letter-file", dataDir.resolve("alert-dead-letter.log"));
        AlertDeadLetters deadLetters = new AlertDeadLetters(() -> RollingFile.at(dead, maxFileBytes, maxFiles, clock),
                stats, clock);
        registry.bind("alertDeadLetters", deadLetters);
        registry.bind("alertRouting", routing);
        registry.bind("alertGrouper", grouper);
        registry.bind("alertStats", stats);

        Set<String> on = new HashSet<>(Set.of("log"));
        StringBuilder banner = new StringBuilder();
        registry.bind("notificationDigest", new NotificationDigest());
        registry.bind("channelRetryAfter", new ChannelRetryAfter(s.longAtLeast("proxywatch.alert.retry.initial-delay-ms", 0),
                s.longAtLeast("proxywatch.alert.retry.max-delay-ms", 0),
                s.longAtLeast("proxywatch.alert.retry.max-channel-wait-ms", 0), deadLetters));
        String mailState = wireMail(context, s, timeoutMs);
        if (!mailState.equals("off")) {
            on.add("mail");
        }
        banner.append("; mail ").append(mailState);
        int robotsPerMinute = s.intAtLeast("proxywatch.alert.robots.max-per-minute", 1);

        String wecomUrl = Secrets.read(s, "proxywatch.alert.wecom.url");
        WecomMessage wecomMessage = wecomUrl.isEmpty() ? null : wecomMessage(s);
        int wecomPerMinute = s.intAtLeast("proxywatch.alert.wecom.max-per-minute", 1);
        bindRobot(context, banner, on, "wecom", wecomUrl, timeoutMs, "", u -> new RobotChannel("wecom", true,
                wecomPerMinute, wecomMessage::body, u::getRawQuery, WecomResponse::check));

        String dingSecret = Secrets.read(s, "proxywatch.alert.dingtalk.secret");
        DingtalkMessage ding = new DingtalkMessage(List.of(), List.of(), false);
        bindRobot(context, banner, on, "dingtalk", Secrets.read(s, "proxywatch.alert.dingtalk.url"), timeoutMs,
                dingSecret.isEmpty() ? "" : " (signed)", u -> new RobotChannel("dingtalk", true, robotsPerMinute,
                        ding::body, () -> dingSecret.isEmpty() ? u.getRawQuery()
                        : (u.getRawQuery() == null ? "" : u.getRawQuery() + "&") + DingtalkMessage.signParams(dingSecret, clock),
                        DingtalkResponse::check));

        String feishuSecret = Secrets.read(s, "proxywatch.alert.feishu.secret");
        FeishuMessage feishu = new FeishuMessage(feishuSecret.isEmpty() ? null : feishuSecret, clock);
        bindRobot(context, banner, on, "feishu", Secrets.read(s, "proxywatch.alert.feishu.url"), timeoutMs,
                feishuSecret.isEmpty() ? "" : " (signed)", u -> new RobotChannel("feishu", true, robotsPerMinute,
                        feishu::body, u::getRawQuery, FeishuResponse::check));

        WebhookMessage hook = new WebhookMessage();
        bindRobot(context, banner, on, "webhook", Secrets.read(s, "proxywatch.alert.webhook.url"), timeoutMs, "",
                u -> new RobotChannel("webhook", true, robotsPerMinute, hook::body, u::getRawQuery, null));
        List<String> unheard = routing.unheard(on);
        if (!unheard.isEmpty()) {
            // the packaged routes send critical and high to WeCom: without its URL they reach alerts.log only
            LOG.warn("alerts of severity {} are routed only to channels that are off (see proxywatch.alert.route.*):"
                    + " they reach alerts.log and this log only", String.join(", ", unheard));
        }
        return new Wired(routing.describe(on) + banner, grouper, stats);
    }

    /**
     * Binds {@code <name>Robot} and {@code <name>Endpoint}: the channel and its HTTP endpoint, or an off switch and
     * a dead end when {@code url} is empty.
     */
    private static void bindRobot(CamelContext context, StringBuilder banner, Set<String> on, String name, String url,
                                  long timeoutMs, String note, Function<URI, RobotChannel> make) {
        if (url.isEmpty()) {
            context.getRegistry().bind(name + "Robot", RobotChannel.off(name));
            context.getRegistry().bind(name + "Endpoint", context.getEndpoint("direct:alert-channel-off"));
            return;
        }
        URI u = checkUrl(name, url);
        on.add(name);
        context.getRegistry().bind(name + "Robot", make.apply(u));
        bindEndpoint(context, name, u, timeoutMs);
        banner.append("; ").append(name).append(' ').append(shown(name, url)).append(note);
    }

    private static WecomMessage wecomMessage(Settings s) {
        try {
            return new WecomMessage(s.oneOf("proxywatch.alert.wecom.msgtype", List.of("markdown", "text")),
                    list(s.string("proxywatch.alert.wecom.mentioned-list")),
                    list(s.string("proxywatch.alert.wecom.mentioned-mobile-list")));
        } catch (IllegalArgumentException e) {
            throw Settings.bad("proxywatch.alert.wecom.mentioned-list", s.string("proxywatch.alert.wecom.mentioned-list"),
                    e.getMessage());
        }
    }

    /** Binds mailComposer and the alertMail endpoint (a dead end while mail is off); returns the banner part. */
    private static String wireMail(CamelContext context, Settings s, long timeoutMs) {
        var registry = context.getRegistry();
        String host = s.string("proxywatch.alert.mail.host");
        if (host.isEmpty()) {
            registry.bind("mailComposer", new MailComposer(null));
            registry.bind("alertMail", context.getEndpoint("direct:alert-mail-disabled"));
            return "off";
        }
        s.longAtLeast("proxywatch.alert.mail.digest-interval-ms", 1); // read by alert-mail.yaml; checked here
        String security = s.oneOf("proxywatch.alert.mail.security", List.of("none", "starttls", "smtps"));
        MailSettings mail;
        try {
            mail = new MailSettings(host, s.port("proxywatch.alert.mail.port"),
                    s.string("proxywatch.alert.mail.username"), Secrets.read(s, "proxywatch.alert.mail.password"),
                    s.string("proxywatch.alert.mail.from"), list(s.string("proxywatch.alert.mail.to")),
                    list(s.string("proxywatch.alert.mail.cc")), MailSettings.Security.of(security),
                    Duration.ofMillis(timeoutMs));
        } catch (IllegalArgumentException e) {
            throw new ConfigError("bad alert mail settings (proxywatch.alert.mail.*): " + e.getMessage());
        }
        if (mail.login()) {
            registry.bind(MailSettings.LOGIN_BEAN, new DefaultAuthenticator(mail.username(), mail.password()));
        }
        registry.bind("mailComposer", new MailComposer(mail));
        registry.bind("alertMail", context.getEndpoint(mail.camelUri()));
        return mail.masked();
    }

    /**
     * The endpoint carries scheme, host and path only: the query (a robot's key or token) is set per request in a
     * header, so it never appears in an endpoint URI that Camel might log.
     */
    private static void bindEndpoint(CamelContext context, String channel, URI u, long timeoutMs) {
        String base = u.getScheme() + "://" + u.getRawAuthority() + (u.getRawPath() == null ? "" : u.getRawPath());
        context.getRegistry().bind(channel + "Endpoint", context.getEndpoint(base
                + "?throwExceptionOnFailure=false&connectTimeout=" + timeoutMs + "&responseTimeout=" + timeoutMs
                + "&connectionRequestTimeout=" + timeoutMs));
    }

    /**
     * The channel's URL as the banner and errors show it: the robots' secrets sit where SecretUrl knows to look; a
     * generic webhook's may be anywhere in its path or query (Slack's /services/T/B/SECRET, Discord's
     * /api/webhooks/ID/SECRET, Teams' &sig=), so it is shown by its host only.
     */
    private static String shown(String channel, String url) {
        return channel.equals("webhook") ? SecretUrl.origin(url) : SecretUrl.mask(url);
    }

    private static URI checkUrl(String channel, String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase();
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
                return u;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw Settings.bad("proxywatch.alert." + channel + ".url", shown(channel, url),
                "an http:// or https:// URL with a host");
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
