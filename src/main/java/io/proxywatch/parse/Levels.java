package io.proxywatch.parse;

import java.util.Locale;

/**
 * Canonical levels: TRACE, DEBUG, INFO, WARN, ERROR, FATAL. Level files and alert rules key on these exact
 * strings, so every logger's spelling is folded into one of them here and nowhere else.
 */
final class Levels {
    static final String TRACE = "TRACE";
    static final String DEBUG = "DEBUG";
    static final String INFO = "INFO";
    static final String WARN = "WARN";
    static final String ERROR = "ERROR";
    static final String FATAL = "FATAL";

    private Levels() {
    }

    /** The canonical level for a logger's level name, or null when the name means nothing known. */
    static String canonical(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        // exact spellings of the common loggers first: no allocation on the hot path
        switch (s) {
            case "info": case "INFO": case "Info": case "I": case "INF": case "inf": return INFO;
            case "warn": case "WARN": case "warning": case "WARNING": case "Warning": case "W": case "WRN": case "wrn":
                return WARN;
            case "error": case "ERROR": case "err": case "ERR": case "E": case "Error": case "dpanic": case "DPANIC":
                return ERROR;
            case "debug": case "DEBUG": case "D": case "DBG": case "dbg": case "Debug": return DEBUG;
            case "trace": case "TRACE": case "TRC": case "trc": case "Trace": return TRACE;
            case "fatal": case "FATAL": case "panic": case "PANIC": case "F": case "FTL": return FATAL;
            default:
                break;
        }
        String l = s.trim().toLowerCase(Locale.ROOT);
        // slog renders custom levels as offsets from a base ("INFO+2", "DEBUG-4"): the base is what counts
        int cut = 0;
        while (cut < l.length() && Character.isLetter(l.charAt(cut))) {
            cut++;
        }
        if (cut == 0) {
            return null;
        }
        l = l.substring(0, cut);
        switch (l) {
            case "trace": case "trc": case "trce": case "finest": case "finer": return TRACE;
            case "debug": case "dbg": case "dbug": case "fine": case "verbose": return DEBUG;
            case "info": case "inf": case "notice": case "informational": case "information": return INFO;
            case "warn": case "warning": case "wrn": return WARN;
            case "error": case "err": case "eror": case "dpanic": case "severe": return ERROR;
            case "fatal": case "ftl": case "panic": case "crit": case "critical": case "alert": case "emerg":
            case "emergency":
                return FATAL;
            default:
                return null;
        }
    }

    /**
     * {@link #canonical(String)} of {@code s[from, to)}: the spellings that fill real logs are matched where they lie
     * in the line, anything else is cut out and looked up as usual.
     */
    static String canonical(String s, int from, int to) {
        int n = to - from;
        if (n == 4) {
            if (s.startsWith("INFO", from) || s.startsWith("info", from)) return INFO;
            if (s.startsWith("WARN", from) || s.startsWith("warn", from)) return WARN;
        } else if (n == 5) {
            if (s.startsWith("ERROR", from) || s.startsWith("error", from)) return ERROR;
            if (s.startsWith("DEBUG", from) || s.startsWith("debug", from)) return DEBUG;
        }
        return canonical(s.substring(from, to));
    }

    /** Numeric levels as bunyan/pino write them (10 trace ... 60 fatal). */
    static String fromNumber(double n) {
        if (n >= 60) return FATAL;
        if (n >= 50) return ERROR;
        if (n >= 40) return WARN;
        if (n >= 30) return INFO;
        if (n >= 20) return DEBUG;
        return TRACE;
    }

    /** The level an HTTP status implies when the line says nothing better: 5xx ERROR, 4xx WARN, else INFO. */
    static String fromStatus(int status) {
        if (status >= 500) return ERROR;
        if (status >= 400) return WARN;
        return INFO;
    }

    static int rank(String level) {
        if (level == null) return -1;
        switch (level) {
            case TRACE: return 0;
            case DEBUG: return 1;
            case INFO: return 2;
            case WARN: return 3;
            case ERROR: return 4;
            case FATAL: return 5;
            default: return 2;
        }
    }

    static String moreSevere(String a, String b) {
        return rank(a) >= rank(b) ? a : b;
    }

    /**
     * A level guessed from free text (a plain Go log line, or a line nothing understood). Only the first word is
     * trusted, plus a Go panic anywhere: "error" in the middle of a sentence says little about severity.
     */
    static String sniff(String text) {
        if (text == null || text.isEmpty()) {
            return INFO;
        }
        if (text.startsWith("panic: ") || text.startsWith("fatal error: ") || text.contains("\npanic: ")
                || text.contains("\nfatal error: ")) {
            return FATAL;
        }
        int i = 0;
        int n = Math.min(text.length(), 256);
        while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '[' || text.charAt(i) == '<')) {
            i++;
        }
        int start = i;
        while (i < n && Character.isLetter(text.charAt(i))) {
            i++;
        }
        if (i == start || i - start > 11) {
            return INFO;
        }
        // a bare word followed by ':' ']' '>' or space, e.g. "ERROR:", "[warn]", "WARNING "
        if (i < text.length()) {
            char c = text.charAt(i);
            // slog's levels between the named ones print as an offset: ERROR+2, WARN-1
            boolean offset = (c == '+' || c == '-') && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1));
            if (c != ':' && c != ']' && c != '>' && c != ' ' && c != '|' && !offset) {
                return INFO;
            }
        }
        String word = text.substring(start, i);
        boolean upper = word.equals(word.toUpperCase(Locale.ROOT));
        boolean colon = i < text.length() && (text.charAt(i) == ':' || text.charAt(i) == ']');
        // "warning: x" and "ERROR x" are levels; "error handling request" in lower case without a colon is prose
        if (!upper && !colon) {
            return INFO;
        }
        String c = canonical(word);
        return c == null || word.length() == 1 ? INFO : c;
    }
}
