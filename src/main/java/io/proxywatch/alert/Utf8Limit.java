package io.proxywatch.alert;

/**
 * Cuts text to a number of UTF-8 bytes, which is how the robot APIs count their limits (WeCom: 4096 bytes of
 * markdown, 2048 of text), without ever splitting a character: a cut surrogate pair or multi-byte sequence would
 * reach the group as U+FFFD or be refused as bad JSON.
 */
public final class Utf8Limit {
    /** Appended to cut text so a reader knows there was more; 14 bytes in UTF-8. */
    public static final String MARKER = "…(truncated)";
    private static final int MARKER_BYTES = bytes(MARKER);

    private Utf8Limit() {
    }

    /**
     * The UTF-8 size of {@code s}. A lone surrogate counts 3 bytes (what U+FFFD, its usual replacement, takes),
     * so the count never falls short of what an encoder writes.
     */
    public static int bytes(CharSequence s) {
        if (s == null) {
            return 0;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * {@code s} if it fits in {@code maxBytes}; otherwise its longest whole-character prefix that leaves room for
     * {@link #MARKER}, followed by the marker, together at most {@code maxBytes}. When {@code maxBytes} is smaller
     * than the marker itself, the plain prefix (no marker): the limit wins over the courtesy.
     */
    public static String cut(String s, int maxBytes) {
        if (s == null) {
            return "";
        }
        if (bytes(s) <= maxBytes) {
            return s;
        }
        if (maxBytes < MARKER_BYTES) {
            return prefix(s, maxBytes);
        }
        return prefix(s, maxBytes - MARKER_BYTES) + MARKER;
    }

    /** The longest prefix of {@code s} whose UTF-8 encoding is at most {@code maxBytes}, cut between characters. */
    public static String prefix(String s, int maxBytes) {
        if (s == null || maxBytes <= 0) {
            return "";
        }
        int n = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int width;
            int chars = 1;
            if (c < 0x80) {
                width = 1;
            } else if (c < 0x800) {
                width = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                width = 4;
                chars = 2;
            } else {
                width = 3;
            }
            if (n + width > maxBytes) {
                break;
            }
            n += width;
            i += chars;
        }
        return s.substring(0, i);
    }
}
