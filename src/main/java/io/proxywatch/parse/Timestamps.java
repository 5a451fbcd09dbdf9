package io.proxywatch.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Timestamps in the shapes Go loggers and proxies write, parsed by hand: DateTimeFormatter costs microseconds a
 * line, which alone would halve the parse rate. Every method returns null for text it does not understand, so a
 * caller can fall back to "now" and keep the original value, and never throws.
 */
final class Timestamps {
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private Timestamps() {
    }

    /** An epoch number: seconds (zap, Caddy), or millis, micros, nanos told apart by magnitude. */
    static Instant fromEpoch(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v < 0) {
            return null;
        }
        if (v > 1e17) {
            return fromEpochNanos((long) v);
        }
        if (v > 1e14) {
            return fromEpochNanos((long) (v * 1_000d));
        }
        // past 1e11 a count of seconds would be after the year 5000: it is millis
        if (v > 1e11) {
            long ms = (long) v;
            long nanos = Math.round((v - ms) * 1e6);
            return Instant.ofEpochMilli(ms).plusNanos(nanos);
        }
        long sec = (long) Math.floor(v);
        // a double holds ~16 significant digits: below the microsecond is noise
        long micros = Math.round((v - sec) * 1e6);
        return Instant.ofEpochSecond(sec, micros * 1000);
    }

    static Instant fromEpoch(long v) {
        if (v < 0) {
            return null;
        }
        if (v > 100_000_000_000_000_000L) {
            return fromEpochNanos(v);
        }
        if (v > 100_000_000_000_000L) {
            return fromEpochNanos(v * 1000);
        }
        if (v > 100_000_000_000L) {
            return Instant.ofEpochMilli(v);
        }
        return Instant.ofEpochSecond(v);
    }

    private static Instant fromEpochNanos(long n) {
        return Instant.ofEpochSecond(n / 1_000_000_000L, n % 1_000_000_000L);
    }

    /** Any textual timestamp we know: ISO-8601/RFC 3339, Go log, CLF, or an epoch number written as text. */
    static Instant parse(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        if (n >= 10 && digits(s, 0, 4)) {
            char sep = s.charAt(4);
            if (sep == '-') {
                return iso(s);
            }
            if (sep == '/') {
                return goLog(s, 0, n);
            }
        }
        if (n >= 20 && s.charAt(2) == '/' && s.charAt(6) == '/') {
            return clf(s, 0, n);
        }
        if (n > 0 && n <= 24 && isNumber(s)) {
            try {
                return fromEpoch(Double.parseDouble(s));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** yyyy-MM-dd[T ]HH:mm[:ss[.f+]][Z|±hh[:mm]]; without an offset the system zone, as Go's own loggers do. */
    static Instant iso(String s) {
        return iso(s, 0, s.length());
    }

    /** {@link #iso(String)} on {@code s[from, to)}: the JSON fast path reads a value where it lies in the line. */
    static Instant iso(String s, int from, int to) {
        int n = to - from;
        if (n < 16 || !digits(s, from, 4) || s.charAt(from + 4) != '-' || !digits(s, from + 5, 2)
                || s.charAt(from + 7) != '-' || !digits(s, from + 8, 2)) {
            return null;
        }
        char t = s.charAt(from + 10);
        if (t != 'T' && t != 't' && t != ' ' || !digits(s, from + 11, 2) || s.charAt(from + 13) != ':'
                || !digits(s, from + 14, 2)) {
            return null;
        }
        int i = from + 16;
        int sec = 0;
        if (i < to && s.charAt(i) == ':') {
            if (from + 19 > to || !digits(s, from + 17, 2)) {
                return null;
            }
            sec = num(s, from + 17, 2);
            i = from + 19;
        }
        int nanos = 0;
        if (i < to && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
            i++;
            int start = i;
            int scale = 100_000_000;
            while (i < to && isDigit(s.charAt(i))) {
                nanos += (s.charAt(i) - '0') * scale;
                scale /= 10;
                i++;
            }
            if (i == start) {
                return null;
            }
        }
        int offset = offsetSeconds(s, i, to);
        if (offset == MALFORMED) {
            return null;
        }
        return toInstant(num(s, from, 4), num(s, from + 5, 2), num(s, from + 8, 2), num(s, from + 11, 2),
                num(s, from + 14, 2), sec, nanos, offset);
    }

    /** {@link #offsetSeconds}: no offset in the text, local time. */
    private static final int LOCAL = Integer.MIN_VALUE;
    /** {@link #offsetSeconds}: an offset that does not parse. */
    private static final int MALFORMED = Integer.MAX_VALUE;

    /** Z, ±hh, ±hhmm, ±hh:mm, " UTC" as seconds east of UTC; {@link #LOCAL} when none, {@link #MALFORMED}. */
    private static int offsetSeconds(String s, int i, int n) {
        if (i == n) {
            return LOCAL;
        }
        char c = s.charAt(i);
        if ((c == 'Z' || c == 'z') && i + 1 == n) {
            return 0;
        }
        if (s.regionMatches(i, " UTC", 0, 4) && i + 4 == n) {
            return 0;
        }
        if (c == '+' || c == '-') {
            int sign = c == '-' ? -1 : 1;
            int rest = n - i - 1;
            if (rest == 2 && digits(s, i + 1, 2)) {
                return sign * num(s, i + 1, 2) * 3600;
            }
            if (rest == 4 && digits(s, i + 1, 4)) {
                return sign * (num(s, i + 1, 2) * 3600 + num(s, i + 3, 2) * 60);
            }
            if (rest == 5 && digits(s, i + 1, 2) && s.charAt(i + 3) == ':' && digits(s, i + 4, 2)) {
                return sign * (num(s, i + 1, 2) * 3600 + num(s, i + 4, 2) * 60);
            }
        }
        return MALFORMED;
    }

    /** Go's log package: 2006/01/02 15:04:05[.000000], local time unless the program set LUTC (which we can't see). */
    static Instant goLog(String s, int from, int to) {
        return goLog(s, from, to, LOCAL);
    }

    /** As {@link #goLog(String, int, int)}, for a writer known to write UTC (Caddy's wall time formats). */
    static Instant goLogUtc(String s) {
        return goLog(s, 0, s.length(), 0);
    }

    private static Instant goLog(String s, int from, int to, int offset) {
        if (to - from < 19 || !goLogAt(s, from)) {
            return null;
        }
        int i = from + 19;
        int nanos = 0;
        if (i < to && s.charAt(i) == '.') {
            i++;
            int scale = 100_000_000;
            while (i < to && isDigit(s.charAt(i))) {
                nanos += (s.charAt(i) - '0') * scale;
                scale /= 10;
                i++;
            }
        }
        return toInstant(num(s, from, 4), num(s, from + 5, 2), num(s, from + 8, 2), num(s, from + 11, 2),
                num(s, from + 14, 2), num(s, from + 17, 2), nanos, offset);
    }

    /** True when a Go log date-time header "yyyy/MM/dd HH:mm:ss" starts at i. */
    static boolean goLogAt(String s, int i) {
        return s.length() - i >= 19 && digits(s, i, 4) && s.charAt(i + 4) == '/' && digits(s, i + 5, 2)
                && s.charAt(i + 7) == '/' && digits(s, i + 8, 2) && s.charAt(i + 10) == ' ' && digits(s, i + 11, 2)
                && s.charAt(i + 13) == ':' && digits(s, i + 14, 2) && s.charAt(i + 16) == ':'
                && digits(s, i + 17, 2);
    }

    /** CLF: 10/Oct/2000:13:55:36 -0700 (the text between the brackets). */
    static Instant clf(String s, int from, int to) {
        if (to - from < 20 || !digits(s, from, 2) || s.charAt(from + 2) != '/' || s.charAt(from + 6) != '/'
                || !digits(s, from + 7, 4) || s.charAt(from + 11) != ':' || !digits(s, from + 12, 2)
                || s.charAt(from + 14) != ':' || !digits(s, from + 15, 2) || s.charAt(from + 17) != ':'
                || !digits(s, from + 18, 2)) {
            return null;
        }
        int month = -1;
        for (int m = 0; m < 12; m++) {
            if (s.regionMatches(true, from + 3, MONTHS, m * 3, 3)) {
                month = m + 1;
                break;
            }
        }
        if (month < 0) {
            return null;
        }
        int offset = 0;
        int i = from + 20;
        if (i < to) {
            if (s.charAt(i) != ' ') {
                return null;
            }
            offset = offsetSeconds(s, i + 1, to);
            if (offset == MALFORMED || offset == LOCAL) {
                return null;
            }
        }
        return toInstant(num(s, from + 7, 4), month, num(s, from, 2), num(s, from + 12, 2), num(s, from + 15, 2),
                num(s, from + 18, 2), 0, offset);
    }

    /** @param offset seconds east of UTC, or {@link #LOCAL} for the system zone */
    private static Instant toInstant(int y, int mo, int d, int h, int mi, int sec, int nanos, int offset) {
        if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
            return null;
        }
        if (sec == 60) {
            sec = 59; // a leap second, as Java cannot hold one
        }
        if (offset == LOCAL) {
            try {
                LocalDateTime local = LocalDateTime.of(y, mo, d, h, mi, sec, nanos);
                return local.atZone(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeException e) {
                return null; // 31 February and the like
            }
        }
        if (d > 28 && d > monthLength(y, mo)) {
            return null; // 31 February and the like
        }
        return Instant.ofEpochSecond(epochDay(y, mo, d) * 86400 + h * 3600L + mi * 60L + sec - offset, nanos);
    }

    private static int monthLength(int y, int mo) {
        if (mo == 2) {
            return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) ? 29 : 28;
        }
        return mo == 4 || mo == 6 || mo == 9 || mo == 11 ? 30 : 31;
    }

    /**
     * Days since 1970-01-01 of a valid proleptic Gregorian date (H. Hinnant's days_from_civil): what
     * {@code LocalDate.of(y, mo, d).toEpochDay()} answers, without building a LocalDate per line.
     */
    static long epochDay(int y, int mo, int d) {
        int yy = mo <= 2 ? y - 1 : y;
        int era = Math.floorDiv(yy, 400);
        int yoe = yy - era * 400;
        int doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468L;
    }

    private static boolean isNumber(String s) {
        boolean digit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isDigit(c)) {
                digit = true;
            } else if (c != '.' && !(i == 0 && (c == '-' || c == '+')) && c != 'e' && c != 'E') {
                return false;
            }
        }
        return digit;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int num(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }
}
