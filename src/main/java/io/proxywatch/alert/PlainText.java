package io.proxywatch.alert;

/**
 * Log-derived text for channels that show plain text (WeCom {@code text}, Feishu {@code text}): one line, no
 * control characters, nothing a chat client would act on. See {@link Markdown} for the markdown channels.
 */
public final class PlainText {
    /** Full-width commercial at: reads as "@" but no client treats it as a mention or an e-mail address. */
    static final char INERT_AT = '\uFF20';

    private PlainText() {
    }

    /**
     * One line of plain text: control characters, CR/LF, tabs, NEL and the Unicode line/paragraph separators
     * become a space (a log line must not start a line of its own that looks like ours); bidirectional overrides
     * are dropped (they would let a line display in another order than it reads); a lone surrogate becomes
     * U+FFFD; {@code @} becomes a full-width {@code ＠} so no text can mention anyone; leading and trailing blanks
     * are trimmed.
     */
    public static String line(String s) {
        return clean(s, false);
    }

    /**
     * {@link #line} plus the characters Feishu's text message gives meaning to: {@code <} {@code >} (its
     * {@code <at user_id="all">} mention and style tags) and {@code [} {@code ]} (its {@code [text](url)} links)
     * become their full-width forms, so a log line can neither mention the group nor plant a link.
     */
    public static String inert(String s) {
        return clean(s, true);
    }

    /**
     * Text from a log line or a remote answer, for proxywatch's own log: control characters (and the Unicode line
     * separators) shown as {@code \\uXXXX}, so no value can forge a log line of its own; everything else as it is.
     */
    public static String loggable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(String.format("\\u%04x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * Several lines of text (a mail's plain-text part): each line break (CR LF, CR, LF, NEL and the Unicode line and
     * paragraph separators) becomes {@code lineBreak}, a tab stays, other control characters (ESC starting a
     * terminal sequence, VT, FF) become a space, bidirectional overrides are dropped and a lone surrogate becomes
     * U+FFFD, so a mail read in a terminal or a client shows the line the log holds.
     */
    public static String lines(String s, String lineBreak) {
        return s == null ? "" : clean(s, false, false, lineBreak);
    }

    private static String clean(String s, boolean fullWidthBrackets) {
        return s == null ? "" : clean(s, true, fullWidthBrackets, null).strip();
    }

    /** @param lineBreak what a line break becomes; null: a space, as every other control character */
    private static String clean(String s, boolean inertAt, boolean fullWidthBrackets, String lineBreak) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append('\uFFFD');
            } else if (lineBreak != null && isLineBreak(c)) {
                if (!(c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n')) { // CR LF is one break
                    sb.append(lineBreak);
                }
            } else if (lineBreak != null && c == '\t') {
                sb.append(c);
            } else if (breaksLine(c)) {
                sb.append(' ');
            } else if (isBidiControl(c)) {
                // dropped
            } else if (inertAt && c == '@') {
                sb.append(INERT_AT);
            } else if (fullWidthBrackets && (c == '<' || c == '>' || c == '[' || c == ']')) {
                sb.append((char) (c - 0x20 + 0xFF00)); // U+FF1C ＜, U+FF1E ＞, U+FF3B ［, U+FF3D ］
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    /** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. */
    static boolean breaksLine(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }

    /** LRM, RLM, ALM and the embedding, override and isolate controls. */
    static boolean isBidiControl(char c) {
        return c == '\u200e' || c == '\u200f' || c == '\u061c' || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
