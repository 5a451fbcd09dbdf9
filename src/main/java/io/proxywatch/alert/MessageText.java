package io.proxywatch.alert;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The words of a robot message, shared by the WeCom, DingTalk and Feishu builders: one notification as a detailed
 * message, several as a digest, always within a byte budget, and in a digest every alert accounted for (the lines
 * that fit, then "…and K more incidents (J alerts), see alerts.log").
 *
 * <p>Every log-derived value goes through the style's escaper; the few pieces of markup are ours.
 */
final class MessageText {
    /** A summary longer than this is cut before escaping: a message is for a glance, alerts.log has the rest. */
    static final int SUMMARY_MAX_BYTES = 512;
    /** Each evidence line is cut to this, so one huge request line cannot crowd out the others. */
    static final int EVIDENCE_LINE_MAX_BYTES = 400;
    /** Rule and key in a digest line are cut to this. */
    static final int DIGEST_FIELD_MAX_BYTES = 128;
    static final int MAX_EVIDENCE = AlertEvent.MAX_EVIDENCE;

    /**
     * How a channel writes: the escaper for log-derived text, the bold marker, the line break and the quote prefix.
     *
     * @param escape  makes a log-derived value inert and single-line
     * @param bold    wraps the title ({@code **} in markdown, empty in plain text)
     * @param newline between lines ({@code \n}; DingTalk markdown needs a blank line to break a line)
     */
    record Style(UnaryOperator<String> escape, String bold, String newline, String quote) {
        static final Style WECOM_MARKDOWN = new Style(Markdown::escape, "**", "\n", "> ");
        static final Style DINGTALK_MARKDOWN = new Style(Markdown::escape, "**", "\n\n", "> ");
        static final Style WECOM_TEXT = new Style(PlainText::line, "", "\n", "> ");
        static final Style FEISHU_TEXT = new Style(PlainText::inert, "", "\n", "> ");
    }

    private MessageText() {
    }

    /**
     * The content for {@code notifications} (one: detailed; several: a digest) in at most {@code maxBytes} UTF-8
     * bytes, {@code footer} (mentions, already in the channel's syntax) included after a blank line.
     */
    static String render(List<Notification> notifications, Style style, int maxBytes, String footer) {
        if (notifications == null || notifications.isEmpty()) {
            throw new IllegalArgumentException("no notification to render");
        }
        String tail = footer == null || footer.isEmpty() ? "" : "\n\n" + footer;
        int budget = maxBytes - Utf8Limit.bytes(tail);
        if (budget <= 0) {
            throw new IllegalArgumentException("the mentions alone take " + Utf8Limit.bytes(tail)
                    + " bytes of the " + maxBytes + " a message may have");
        }
        String body = notifications.size() == 1 ? single(notifications.get(0), style, budget)
                : digest(notifications, style, budget);
        return body + tail;
    }

    /** "[HIGH] sqli firing — 203.0.113.9", unescaped. */
    static String title(Notification n) {
        return title(n, UnaryOperator.identity());
    }

    /**
     * The title with its values escaped and our brackets left alone: "[HIGH] " followed by a space is no link in
     * any of the formats, and Feishu's inert text would otherwise show them full-width.
     */
    static String title(Notification n, UnaryOperator<String> escape) {
        String state = n.isResolved() ? "resolved" : n.repeat() ? "still firing" : "firing";
        return "[" + escape.apply(upper(n.severity())) + "] " + escape.apply(n.category()) + " " + state + " — "
                + escape.apply(n.key());
    }

    private static String single(Notification n, Style s, int budget) {
        UnaryOperator<String> e = s.escape();
        List<String> lines = new ArrayList<>();
        lines.add(s.bold() + title(n, e) + s.bold());
        lines.add(e.apply("rule: " + n.rule() + " (" + n.category() + ")"));
        lines.add(e.apply("events: " + n.events() + " in this notification, " + n.total() + " in the incident"));
        lines.add(e.apply("first seen " + time(n.firstSeen()) + ", last seen " + time(n.lastSeen())));
        if (n.summary() != null && !n.summary().isBlank()) {
            lines.add(e.apply("summary: " + Utf8Limit.cut(n.summary(), SUMMARY_MAX_BYTES)));
        }
        String head = String.join(s.newline(), lines);
        StringBuilder out = new StringBuilder(head);
        List<String> evidence = n.evidence();
        int shown = 0;
        if (!evidence.isEmpty()) {
            String label = s.newline() + e.apply("evidence:");
            if (Utf8Limit.bytes(out) + Utf8Limit.bytes(label) < budget) {
                out.append(label);
                for (String line : evidence.subList(0, Math.min(MAX_EVIDENCE, evidence.size()))) {
                    String quoted = s.newline() + s.quote() + e.apply(Utf8Limit.cut(line, EVIDENCE_LINE_MAX_BYTES));
                    if (Utf8Limit.bytes(out) + Utf8Limit.bytes(quoted) > budget) {
                        break;
                    }
                    out.append(quoted);
                    shown++;
                }
            }
            int hidden = Math.min(MAX_EVIDENCE, evidence.size()) - shown;
            String more = s.newline() + e.apply("…and " + hidden + " more evidence lines, see alerts.log");
            if (hidden > 0 && Utf8Limit.bytes(out) + Utf8Limit.bytes(more) <= budget) {
                out.append(more);
            }
        }
        // Last resort when even the fixed lines do not fit (a text message's 2048 bytes and a huge key).
        return Utf8Limit.cut(out.toString(), budget);
    }

    private static String digest(List<Notification> arrived, Style s, int budget) {
        UnaryOperator<String> e = s.escape();
        // the most urgent first, so what a cut to the channel's size leaves out is the least urgent
        List<Notification> ns = new ArrayList<>(arrived);
        ns.sort(Notification.MOST_URGENT_FIRST);
        long alerts = 0;
        for (Notification n : ns) {
            alerts += n.events();
        }
        String header = s.bold() + e.apply(ns.size() + " incidents, " + alerts + " alerts") + s.bold();
        List<String> lines = new ArrayList<>(ns.size());
        for (Notification n : ns) {
            lines.add(s.newline() + e.apply(digestLine(n)));
        }
        int total = Utf8Limit.bytes(header);
        for (String l : lines) {
            total += Utf8Limit.bytes(l);
        }
        if (total <= budget) {
            return header + String.join("", lines);
        }
        // Reserve room for the "more" line at its largest (K and J can only shrink, and so their digits).
        int reserve = Utf8Limit.bytes(s.newline() + e.apply(moreLine(ns.size(), alerts)));
        StringBuilder out = new StringBuilder(header);
        int used = Utf8Limit.bytes(header);
        int shown = 0;
        long shownAlerts = 0;
        for (int i = 0; i < lines.size(); i++) {
            int size = Utf8Limit.bytes(lines.get(i));
            if (used + size + reserve > budget) {
                break;
            }
            out.append(lines.get(i));
            used += size;
            shown++;
            shownAlerts += ns.get(i).events();
        }
        out.append(s.newline()).append(e.apply(moreLine(ns.size() - shown, alerts - shownAlerts)));
        return Utf8Limit.cut(out.toString(), budget); // only bites if the header alone is over budget
    }

    /** "SEVERITY rule key ×events (state)", unescaped, with its fields cut so one line cannot fill a message. */
    static String digestLine(Notification n) {
        String state = n.isResolved() ? "resolved" : n.repeat() ? "still firing" : "firing";
        return upper(Utf8Limit.cut(String.valueOf(n.severity()), DIGEST_FIELD_MAX_BYTES)) + " "
                + Utf8Limit.cut(n.rule(), DIGEST_FIELD_MAX_BYTES) + " " + Utf8Limit.cut(n.key(), DIGEST_FIELD_MAX_BYTES)
                + " ×" + n.events() + " (" + state + ")";
    }

    static String moreLine(int incidents, long alerts) {
        return "…and " + incidents + " more incidents (" + alerts + " alerts), see alerts.log";
    }

    static String time(Instant t) {
        return t == null ? "?" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String upper(String s) {
        return s == null ? "" : s.toUpperCase(Locale.ROOT);
    }
}
