package io.proxywatch.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One alert email, from the notifications of one digest interval (one or a few dozen incidents): a subject, a
 * plain-text body and an HTML body. Keys, summaries and evidence come from log lines an attacker can write, so the
 * subject (a header) is kept to one clean line, and the HTML escapes every such string; the text body shows them
 * as they are, indented under their incident.
 */
public final class MailMessage {
    /** Longest subject, in chars; longer ones end in an ellipsis. */
    static final int MAX_SUBJECT_CHARS = 200;

    private static final String DASH = " \u2014 ";
    private static final String INDENT = "    ";

    /** Firing before resolved, most severe first; otherwise in the order they came. */
    private final List<Notification> incidents;

    public MailMessage(List<Notification> notifications) {
        if (notifications.isEmpty()) {
            throw new IllegalArgumentException("a mail needs at least one notification");
        }
        List<Notification> sorted = new ArrayList<>(notifications);
        sorted.sort(Notification.MOST_URGENT_FIRST);
        this.incidents = List.copyOf(sorted);
    }

    /**
     * {@code [proxywatch][CRITICAL] rule — key} for one incident ({@code [RESOLVED]} once it has resolved), or
     * {@code [proxywatch][CRITICAL] 3 incidents — rule1, rule2} for a digest, tagged with its most severe firing one.
     */
    public String subject() {
        Notification first = incidents.get(0);
        String tag = first.isResolved() ? "RESOLVED" : label(first);
        String what;
        if (incidents.size() == 1) {
            what = first.rule() + DASH + first.key();
        } else {
            Set<String> rules = new LinkedHashSet<>();
            incidents.forEach(n -> rules.add(n.rule()));
            what = incidents.size() + " incidents" + DASH + String.join(", ", rules);
        }
        return oneLine("[proxywatch][" + tag + "] " + what, MAX_SUBJECT_CHARS);
    }

    public String text() {
        StringBuilder out = new StringBuilder(1024).append(headline()).append("\n");
        for (Notification n : incidents) {
            out.append('\n')
                    .append(label(n)).append("  ").append(n.state()).append("  ").append(indented(n.rule(), INDENT))
                    .append("  ").append(indented(n.key(), INDENT)).append(n.repeat() ? "  (repeat: still firing)" : "")
                    .append('\n');
            line(out, "category", n.category());
            line(out, "events", n.events() + " new, " + n.total() + " in this incident");
            line(out, "first seen", time(n.firstSeen()));
            line(out, "last seen", time(n.lastSeen()));
            line(out, "summary", n.summary());
            if (!n.evidence().isEmpty()) {
                out.append("  evidence\n");
                for (String e : n.evidence()) {
                    out.append(INDENT).append(indented(e, INDENT + INDENT)).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** A self-contained page: inline styles only, no scripts, no images, no links to fetch. */
    public String html() {
        StringBuilder out = new StringBuilder(2048)
                .append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape(subject())).append("</title></head>\n")
                .append("<body style=\"font-family:sans-serif;font-size:14px\">\n<p>")
                .append(Html.escape(headline())).append("</p>\n")
                .append("<table cellpadding=\"4\" style=\"border-collapse:collapse;border:1px solid #999\">\n")
                .append("<tr style=\"background:#eee;text-align:left\"><th>Severity</th><th>State</th><th>Rule</th>")
                .append("<th>Key</th><th>Events / total</th><th>First seen</th><th>Last seen</th><th>Summary</th></tr>\n");
        for (Notification n : incidents) {
            out.append("<tr style=\"border-top:1px solid #999;vertical-align:top\">")
                    .append("<td style=\"").append(colour(n)).append("\"><b>").append(Html.escape(label(n)))
                    .append("</b></td>")
                    .append(cell(n.state() + (n.repeat() ? " (repeat)" : "")))
                    .append("<td>").append(Html.escape(n.rule())).append("<br><small>")
                    .append(Html.escape(n.category())).append("</small></td>")
                    .append(cell(n.key()))
                    .append(cell(n.events() + " / " + n.total()))
                    .append(cell(time(n.firstSeen())))
                    .append(cell(time(n.lastSeen())))
                    .append(cell(n.summary()))
                    .append("</tr>\n");
            if (!n.evidence().isEmpty()) {
                out.append("<tr><td colspan=\"8\"><pre style=\"margin:0;white-space:pre-wrap;word-break:break-all\">");
                for (String e : n.evidence()) {
                    out.append(Html.escape(e)).append('\n');
                }
                out.append("</pre></td></tr>\n");
            }
        }
        return out.append("</table>\n</body></html>\n").toString();
    }

    /**
     * A header value from any text: control, format and line-separator characters become spaces (a CR LF in a
     * subject would start a header of the attacker's choosing), runs of spaces one, cut to max chars with an ellipsis.
     */
    static String oneLine(String s, int max) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), max + 16));
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            boolean blank = Character.isWhitespace(c) || Character.isSpaceChar(c) || type == Character.CONTROL
                    || type == Character.FORMAT;
            if (blank) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        if (out.length() <= max) {
            return out.toString();
        }
        int cut = max - 1;
        if (Character.isHighSurrogate(out.charAt(cut - 1))) {
            cut--; // never half a character
        }
        return out.substring(0, cut).stripTrailing() + "\u2026";
    }

    private String headline() {
        long resolved = incidents.stream().filter(Notification::isResolved).count();
        if (incidents.size() == 1) {
            return "proxywatch: 1 incident, " + (resolved == 1 ? "resolved" : "firing");
        }
        return "proxywatch: " + incidents.size() + " incidents, " + (incidents.size() - resolved) + " firing, "
                + resolved + " resolved";
    }

    private static String label(Notification n) {
        return String.valueOf(n.severity()).toUpperCase(Locale.ROOT);
    }

    private static String colour(Notification n) {
        if (n.isResolved()) {
            return "background:#dfd";
        }
        return switch (Notification.rank(n.severity())) {
            case 0 -> "background:#b00;color:#fff";
            case 1 -> "background:#e60;color:#fff";
            case 2 -> "background:#fd6";
            default -> "background:#def";
        };
    }

    private static String cell(String text) {
        return "<td>" + Html.escape(text) + "</td>";
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append("  ").append(name).append(" ".repeat(12 - name.length())).append(indented(value, INDENT)).append('\n');
    }

    /**
     * A value with line breaks (a Go panic trace, say) stays under its incident, every further line indented, so
     * no log text starts a line of its own that could pass for one of ours; any line break becomes a plain LF.
     */
    private static String indented(String s, String indent) {
        return PlainText.lines(s, "\n" + indent);
    }

    private static String time(Instant t) {
        return String.valueOf(t);
    }

}
