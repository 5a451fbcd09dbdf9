package io.proxywatch.parse;

import io.proxywatch.record.LogRecord;

/**
 * Go's standard {@code log} package: {@code [prefix]2006/01/02 15:04:05[.000000] [file.go:12: ]message}, and a
 * bare runtime panic ("panic: ..." / "fatal error: ..."), which the tailer joins with its stack trace into one
 * line. The log package has no levels, so the level comes from the message's first word ("ERROR:", "[warn]")
 * and a panic anywhere in the text makes it FATAL. The time is local time: the log package writes no zone.
 */
final class GoLogParser {
    /** A prefix set with log.SetPrefix sits before the date; longer than this it is not a prefix. */
    private static final int MAX_PREFIX = 48;

    private GoLogParser() {
    }

    /** Where the date-time header starts, or -1: at 0, or after a short prefix ending in a space or ']'. */
    static int headerAt(String s) {
        if (Timestamps.goLogAt(s, 0)) {
            return 0;
        }
        int limit = Math.min(s.length(), MAX_PREFIX);
        for (int i = 1; i < limit; i++) {
            char c = s.charAt(i - 1);
            if ((c == ' ' || c == ']' || c == ':') && Timestamps.isDigit(s.charAt(i)) && Timestamps.goLogAt(s, i)) {
                return i;
            }
        }
        return -1;
    }

    static boolean isPanic(String s) {
        return s.startsWith("panic: ") || s.startsWith("fatal error: ");
    }

    static boolean parse(String s, LogRecord r) {
        int h = headerAt(s);
        if (h < 0) {
            if (isPanic(s)) {
                r.setLevel(Levels.FATAL);
                r.setMessage(s);
                return true;
            }
            return false;
        }
        if (h > 0) {
            String prefix = s.substring(0, h).trim();
            if (!prefix.isEmpty()) {
                r.getFields().put("prefix", prefix);
            }
        }
        r.setTimestamp(Timestamps.goLog(s, h, s.length()));
        int i = h + 19;
        int n = s.length();
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && Timestamps.isDigit(s.charAt(i))) {
                i++;
            }
        }
        if (i < n && s.charAt(i) == ' ') {
            i++;
        } else if (i < n) {
            return false;
        }
        int caller = callerEnd(s, i);
        if (caller > 0) {
            r.getFields().put("caller", s.substring(i, caller));
            i = caller + 2;
        }
        String message = s.substring(i);
        r.setMessage(message);
        r.setLevel(Levels.sniff(message));
        return true;
    }

    /** Lshortfile/Llongfile write "file.go:123: " before the message; returns the index of that ':' or -1. */
    private static int callerEnd(String s, int from) {
        int n = Math.min(s.length(), from + 256);
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c == ' ') {
                return -1;
            }
            if (c == ':' && i + 1 < s.length() && s.charAt(i + 1) == ' ') {
                // file.go:LINE
                int colon = s.lastIndexOf(':', i - 1);
                if (colon <= from + 3 || !s.startsWith(".go", colon - 3) || !Timestamps.digits(s, colon + 1, i - colon - 1)
                        || i - colon - 1 == 0) {
                    return -1;
                }
                return i;
            }
        }
        return -1;
    }
}
