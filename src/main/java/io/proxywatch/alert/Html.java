package io.proxywatch.alert;

/**
 * Text for HTML: log-derived text (keys, summaries, evidence) is attacker-controlled, so every such string goes
 * through {@link #escape} before it is put into an HTML mail, in element content and in quoted attribute values.
 */
public final class Html {
    private Html() {
    }

    /** {@code & < > " '} as character references; null as the empty string. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            String ref = reference(s.charAt(i));
            if (ref != null && out == null) {
                out = new StringBuilder(s.length() + 32).append(s, 0, i);
            }
            if (out != null) {
                if (ref != null) {
                    out.append(ref);
                } else {
                    out.append(s.charAt(i));
                }
            }
        }
        return out == null ? s : out.toString();
    }

    private static String reference(char c) {
        return switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
        };
    }
}
