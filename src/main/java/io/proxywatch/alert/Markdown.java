package io.proxywatch.alert;

/**
 * Makes log-derived text (keys, summaries, evidence lines: attacker-controlled) inert inside a WeCom or DingTalk
 * markdown message, so a request line can neither format the alert nor link, mention or colour anything.
 *
 * <p>What a value becomes:
 * <ul>
 *   <li>one line: control characters, CR/LF, tabs and the Unicode line separators become a space, bidirectional
 *       overrides are dropped, leading and trailing blanks trimmed (so a value placed at the start of a line
 *       cannot open a heading, list, quote or indented code block);</li>
 *   <li>{@code < > &} become {@code &lt; &gt; &amp;}: WeCom renders {@code <font color=…>} and {@code <@userid>}
 *       mentions, DingTalk some HTML; a log line must not inject either;</li>
 *   <li>inline markdown {@code \ ` * _ [ ] | ~} is backslash-escaped anywhere (emphasis, code, links and images,
 *       tables, strike-through), and what only means something at the start of a line ({@code # + - =}, and the
 *       {@code .} or {@code )} after leading digits of an ordered list) only there: dots in an address or a path
 *       stay as they are, so an operator reads {@code 203.0.113.9}, not {@code 203\.0\.113\.9};</li>
 *   <li>{@code @} becomes the full-width {@code ＠}: no renderer treats it as a mention or an e-mail autolink.</li>
 * </ul>
 * Neither robot documents whether its renderer honours backslash escapes; if one shows the backslashes, the text
 * is still inert, only less pretty.
 */
public final class Markdown {
    private static final String ESCAPED = "\\`*_[]|~";
    private static final String ESCAPED_AT_START = "#+-=";

    private Markdown() {
    }

    /** The escaped single-line form of {@code s} (empty for null). */
    public static String escape(String s) {
        String line = PlainText.line(s); // one line, no controls, ＠ for @, trimmed
        StringBuilder sb = new StringBuilder(line.length() + 16);
        int digits = 0;
        while (digits < line.length() && Character.isDigit(line.charAt(digits))) {
            digits++;
        }
        boolean marker = digits > 0 && digits < line.length() && (line.charAt(digits) == '.' || line.charAt(digits) == ')')
                && (digits + 1 == line.length() || line.charAt(digits + 1) == ' ');
        int listMarker = marker ? digits : -1; // "1. " opens a list; "1.2.3.4" does not
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                default -> {
                    if (ESCAPED.indexOf(c) >= 0 || (i == 0 && ESCAPED_AT_START.indexOf(c) >= 0) || i == listMarker) {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
