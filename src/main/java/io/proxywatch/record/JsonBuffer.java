package io.proxywatch.record;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * A growable byte buffer that writes JSON tokens as UTF-8, byte for byte as Jackson's {@code UTF8JsonGenerator}
 * writes them with default features, so records rendered here look exactly as they did when Jackson rendered them:
 * '"' and '\\' escaped, \b \t \n \f \r short, other C0 controls as a six-char {@code u00XX} escape, surrogates (paired or
 * not) each as their own {@code uXXXX} escape, hex upper case; everything else, DEL and non-ASCII included, written as is. Doubles as
 * {@link Double#toString(double)}, NaN and the infinities quoted.
 *
 * <p>Exists because Jackson's generator costs about as much as parsing the line did: a generator, an I/O context
 * and write contexts per record, a stream to copy into and out of. Records and alert events are written with it.
 * Not thread-safe: one per thread, reused.
 */
public final class JsonBuffer {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Per ASCII char: 0 written as is, -1 as a u00XX escape, else the letter after a backslash. */
    private static final byte[] ESCAPES = new byte[128];
    /** Chars escaped per capacity check: the buffer grows with what is written, not six times a whole string. */
    private static final int SEGMENT = 2048;
    private static final int INITIAL = 512;
    /** Strings up to this long are copied char by char without the scratch array. */
    private static final int SHORT = 48;
    /** A buffer grown past this by a huge record is let go rather than kept for the thread's lifetime. */
    private static final int RETAINED_MAX = 64 * 1024;
    /** Days since 1970 of 0000-01-01 and 9999-12-31: the years written with four digits. */
    private static final long MIN_DAY = -719_528L;
    private static final long MAX_DAY = 2_932_896L;

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = -1;
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
    }

    private byte[] buf = new byte[INITIAL];
    private int size;

    /** Empties the buffer, dropping a storage that a huge record grew beyond the usual. */
    public void reset() {
        size = 0;
        if (buf.length > RETAINED_MAX) {
            buf = new byte[INITIAL];
        }
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    int size() {
        return size;
    }

    /** ASCII text that needs no escaping (keys, punctuation, digits), one byte a char. */
    public JsonBuffer ascii(String s) {
        int n = s.length();
        ensure(n);
        byte[] b = buf;
        int at = size;
        for (int i = 0; i < n; i++) {
            b[at++] = (byte) s.charAt(i);
        }
        size = at;
        return this;
    }

    /** Bytes already encoded (a key with its quotes and colon, say), copied as they are. */
    public JsonBuffer bytes(byte[] encoded) {
        int n = encoded.length;
        ensure(n);
        System.arraycopy(encoded, 0, buf, size, n);
        size += n;
        return this;
    }

    public JsonBuffer raw(char c) {
        ensure(1);
        buf[size++] = (byte) c;
        return this;
    }

    /** A quoted, escaped JSON string. */
    public JsonBuffer string(String s) {
        int n = s.length();
        int from = 0;
        if (n <= SHORT) {
            // short values (an address, a trace id, a path): plain ASCII copied straight from the String, no
            // scratch copy; the first char that needs more hands the rest to segment
            ensure(n + 2);
            byte[] b = buf;
            int at = size;
            b[at++] = '"';
            while (from < n) {
                char c = s.charAt(from);
                if (c >= 0x80 || ESCAPES[c] != 0) {
                    break;
                }
                b[at++] = (byte) c;
                from++;
            }
            size = at;
            if (from == n) {
                b[size++] = '"';
                return this;
            }
        } else {
            raw('"');
        }
        for (; from < n; from += SEGMENT) {
            segment(s, from, Math.min(n, from + SEGMENT));
        }
        return raw('"');
    }

    /** Scratch for {@link #segment}: a String's chars copied out in bulk read faster than charAt one by one. */
    private final char[] chars = new char[SEGMENT];

    private void segment(String s, int from, int to) {
        int n = to - from;
        ensure(n * 6);
        char[] cs = chars;
        s.getChars(from, to, cs, 0);
        byte[] b = buf;
        int at = size;
        int i = 0;
        // the common case, ASCII that needs no escape, in a loop of its own
        while (i < n) {
            char c = cs[i];
            if (c >= 0x80 || ESCAPES[c] != 0) {
                break;
            }
            b[at++] = (byte) c;
            i++;
        }
        for (; i < n; i++) {
            char c = cs[i];
            if (c < 0x80) {
                byte e = ESCAPES[c];
                if (e == 0) {
                    b[at++] = (byte) c;
                } else if (e > 0) {
                    b[at++] = '\\';
                    b[at++] = e;
                } else {
                    at = unicodeEscape(b, at, c);
                }
            } else if (c < 0x800) {
                b[at++] = (byte) (0xC0 | (c >> 6));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                // Jackson writes each half of a pair as its own escape rather than one 4-byte sequence
                at = unicodeEscape(b, at, c);
            } else {
                b[at++] = (byte) (0xE0 | (c >> 12));
                b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        size = at;
    }

    private static int unicodeEscape(byte[] b, int at, char c) {
        b[at++] = '\\';
        b[at++] = 'u';
        b[at++] = HEX[(c >> 12) & 0xF];
        b[at++] = HEX[(c >> 8) & 0xF];
        b[at++] = HEX[(c >> 4) & 0xF];
        b[at++] = HEX[c & 0xF];
        return at;
    }

    /** Slots of {@link #shared}: a power of two, enough for a chunk's services, methods, agents and files. */
    private static final int SHARED_SLOTS = 64;
    /** Longer values are rarely one shared instance, and would keep much in the cache. */
    private static final int SHARED_MAX_CHARS = 256;
    private final String[] sharedText = new String[SHARED_SLOTS];
    private final byte[][] sharedBytes = new byte[SHARED_SLOTS][];

    /**
     * {@link #string} for a value that is usually one String instance shared by many records (the parser's cached
     * service, method and user agent, a file's name): its escaped bytes are kept per instance, so the next record
     * copies them instead of escaping the text again. Keyed by {@link String#hashCode()}, which such an instance
     * has worked out once; a fresh String pays one hash, then is escaped as any string.
     */
    public JsonBuffer shared(String s) {
        int slot = s.hashCode() & (SHARED_SLOTS - 1);
        if (sharedText[slot] == s) {
            return bytes(sharedBytes[slot]);
        }
        int from = size;
        string(s);
        if (s.length() <= SHARED_MAX_CHARS) {
            sharedBytes[slot] = Arrays.copyOfRange(buf, from, size);
            sharedText[slot] = s;
        }
        return this;
    }

    /** {@link #string}, or {@code null} unquoted when there is none. */
    public JsonBuffer stringOrNull(String s) {
        return s == null ? ascii("null") : string(s);
    }

    /** {@code "name":}, the name escaped as any string. */
    public JsonBuffer name(String name) {
        string(name);
        return raw(':');
    }

    /** The second {@link #secondText} spells: records of a chunk mostly share a few seconds. */
    private long textSecond = Long.MIN_VALUE;
    /** {@code "yyyy-MM-ddTHH:mm:ss} of {@link #textSecond}, opening quote included. */
    private final byte[] secondText = new byte[20];

    /**
     * {@code t} as {@code "yyyy-MM-ddTHH:mm:ss.mmmZ"}, always with millis (a record's timestamp: fixed width sorts
     * and greps well); the date and time of day are worked out once per distinct second, only the millis per
     * record. Years outside 0-9999 as {@link Instant#toString()} of the millis.
     */
    public JsonBuffer timestamp(Instant t) {
        return time(t, true);
    }

    /**
     * {@code t} quoted as {@link Instant#toString()} writes it: {@code .mmm} only when it has millis (an alert's
     * first and last seen), without java.time's formatter, whose compiled code was a good part of a bulk run's JIT
     * for alert events alone. Finer fractions go through {@code toString()}.
     */
    public JsonBuffer instant(Instant t) {
        return t.getNano() % 1_000_000 != 0 ? string(t.toString()) : time(t, false);
    }

    private JsonBuffer time(Instant t, boolean alwaysMillis) {
        long sec = t.getEpochSecond();
        long day = Math.floorDiv(sec, 86_400L);
        if (day < MIN_DAY || day > MAX_DAY) {
            return string(t.truncatedTo(ChronoUnit.MILLIS).toString());
        }
        if (sec != textSecond) {
            spellSecond(sec);
        }
        int millis = t.getNano() / 1_000_000;
        ensure(26);
        System.arraycopy(secondText, 0, buf, size, 20);
        size += 20;
        if (alwaysMillis || millis != 0) {
            buf[size] = '.';
            put(buf, size + 1, millis, 3);
            size += 4;
        }
        buf[size++] = 'Z';
        buf[size++] = '"';
        return this;
    }

    private void spellSecond(long epochSecond) {
        long day = Math.floorDiv(epochSecond, 86_400L);
        int secOfDay = (int) (epochSecond - day * 86_400L);
        // civil date from days since 1970-01-01 (H. Hinnant's civil_from_days, proleptic Gregorian)
        long z = day + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        int doe = (int) (z - era * 146_097L);
        int yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        int mp = (5 * doy + 2) / 153;
        int dayOfMonth = doy - (153 * mp + 2) / 5 + 1;
        int month = mp < 10 ? mp + 3 : mp - 9;
        int year = (int) (yoe + era * 400) + (month <= 2 ? 1 : 0);
        byte[] c = secondText;
        c[0] = '"';
        put(c, 1, year, 4);
        c[5] = '-';
        put(c, 6, month, 2);
        c[8] = '-';
        put(c, 9, dayOfMonth, 2);
        c[11] = 'T';
        put(c, 12, secOfDay / 3600, 2);
        c[14] = ':';
        put(c, 15, secOfDay / 60 % 60, 2);
        c[17] = ':';
        put(c, 18, secOfDay % 60, 2);
        textSecond = epochSecond;
    }

    private static void put(byte[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    public JsonBuffer number(long v) {
        if (v == Long.MIN_VALUE) {
            return ascii(Long.toString(v));
        }
        ensure(20);
        if (v < 0) {
            buf[size++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int at = size + digits;
        size = at;
        do {
            buf[--at] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        } while (v != 0);
        return this;
    }

    /** Values written without {@link Double#toString}: latencies in ms with at most 3 decimals, below this. */
    private static final double PLAIN_MAX = 1e6;

    JsonBuffer number(double v) {
        // the usual latency (10.84) at a fraction of Double.toString's cost; its digits are the ones it writes
        if (v >= 0.001 && v < PLAIN_MAX) {
            long thousandths = Math.round(v * 1000);
            if ((double) thousandths / 1000.0 == v) {
                return plain(thousandths);
            }
        }
        String s = Double.toString(v);
        return Double.isNaN(v) || Double.isInfinite(v) ? string(s) : ascii(s);
    }

    /**
     * {@code thousandths / 1000} as {@link Double#toString} spells a double in [0.001, {@link #PLAIN_MAX}) that
     * is exactly such a decimal: integer part, a point, the fraction without trailing zeros but at least one
     * digit. That decimal is the double's shortest round trip (doubles below 1e6 are far closer together than
     * 0.001), which is what Double.toString writes; JsonBufferTest checks the two agree (and a one-off run found
     * no difference over every thousandth of the range).
     */
    private JsonBuffer plain(long thousandths) {
        number(thousandths / 1000);
        int fraction = (int) (thousandths % 1000);
        ensure(4);
        buf[size++] = '.';
        if (fraction == 0) {
            buf[size++] = '0';
            return this;
        }
        int digits = 3;
        while (fraction % 10 == 0) {
            fraction /= 10;
            digits--;
        }
        put(buf, size, fraction, digits);
        size += digits;
        return this;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
