package io.proxywatch.parse;

/**
 * Reads the tokens of one flat JSON object where they lie in the line, without a parser object, a map or a String
 * per value: a value that is only compared or converted (a number, a level, a timestamp) is read from its span.
 *
 * <p>It reads a strict subset of what Jackson accepts with {@link JsonLineReader}'s settings: scalar values, keys
 * without escapes, integers of at most 18 digits, string escapes of RFC 8259. Everything else (nested values, NaN,
 * an unknown escape, a key longer than Jackson's limit, broken JSON) makes a method answer false or {@link #NONE},
 * and the caller hands the whole line to Jackson, whose reading stays the reference, errors included.
 */
final class FlatJsonCursor {
    static final int NONE = 0;
    static final int STRING = 1;
    static final int INT = 2;
    static final int FLOAT = 3;
    static final int TRUE = 4;
    static final int FALSE = 5;
    static final int NULL = 6;

    /** Jackson's default StreamReadConstraints: longer names fail there, so they must not pass here. */
    private static final int MAX_NAME = 50_000;
    /** Well below Jackson's 20,000,000-char string limit even before escapes are decoded. */
    private static final int MAX_STRING = 5_000_000;
    private static final int MAX_INT_DIGITS = 18;
    private static final int MAX_FLOAT_CHARS = 64;
    /** Exactly representable powers of ten: a mantissa below 2^53 divided by one rounds once, like parseDouble. */
    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
            1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private final String s;
    private final int end;
    private int pos;

    /** The last token's span: a string's content between its quotes, or a number's text. */
    int from;
    int to;
    /** The last string holds escapes: read it with {@link #text()}, not from the span. */
    boolean escaped;
    /** The last INT's value. */
    long longValue;
    private boolean closed;
    /** See {@link #nextBackslash}; -1 until first asked. */
    private int backslash = -1;

    FlatJsonCursor(String s) {
        this.s = s;
        this.end = s.length();
    }

    String line() {
        return s;
    }

    /** Whitespace, then the object's '{'. */
    boolean begin() {
        skipWs();
        if (pos >= end || s.charAt(pos) != '{') {
            return false;
        }
        pos++;
        return true;
    }

    /** A key and its colon; the name's span in {@link #from}/{@link #to}. False for anything else. */
    boolean key() {
        skipWs();
        if (pos >= end || s.charAt(pos) != '"') {
            return false;
        }
        int start = pos + 1;
        int quote = s.indexOf('"', start);
        // a name may spell "ts" with an escape: escaped names go to Jackson, which decodes them
        if (quote < 0 || quote - start > MAX_NAME || nextBackslash(start) < quote) {
            return false;
        }
        from = start;
        to = quote;
        pos = quote + 1;
        skipWs();
        if (pos < end && s.charAt(pos) == ':') {
            pos++;
            return true;
        }
        return false;
    }

    /**
     * The first backslash at or after {@code at}, or the line's end: one intrinsic scan serves every token before
     * it, so a line without escapes is searched for them once.
     */
    private int nextBackslash(int at) {
        if (backslash < at && backslash != end) {
            int b = s.indexOf('\\', at);
            backslash = b < 0 ? end : b;
        }
        return backslash;
    }

    /** The next scalar value; its kind, or NONE for an object, array, NaN, or anything not JSON. */
    int value() {
        skipWs();
        if (pos >= end) {
            return NONE;
        }
        char c = s.charAt(pos);
        if (c == '"') {
            return string();
        }
        if (c == '-' || c >= '0' && c <= '9') {
            return number();
        }
        if (c == 't' && s.startsWith("true", pos)) {
            pos += 4;
            return TRUE;
        }
        if (c == 'f' && s.startsWith("false", pos)) {
            pos += 5;
            return FALSE;
        }
        if (c == 'n' && s.startsWith("null", pos)) {
            pos += 4;
            return NULL;
        }
        return NONE;
    }

    /**
     * After a value: true at ',' (another key follows); false at '}', with {@link #closed()} telling whether that
     * '}' ends the line, or at anything else ("200x", a missing comma), with closed() false.
     */
    boolean next() {
        skipWs();
        if (pos < end) {
            char c = s.charAt(pos++);
            if (c == ',') {
                return true;
            }
            if (c == '}') {
                skipWs();
                closed = pos == end;
            }
        }
        return false;
    }

    /** The object ended at its '}' and only whitespace follows, as Jackson requires of a whole line. */
    boolean closed() {
        return closed;
    }

    /** The key or string just read equals {@code name}. */
    boolean is(String name) {
        return to - from == name.length() && s.startsWith(name, from);
    }

    /** The last string's text, escapes decoded. */
    String text() {
        return escaped ? decode() : s.substring(from, to);
    }

    /** The last number as a double: FLOAT text or INT value, rounded exactly as Double.parseDouble rounds. */
    double doubleValue() {
        int i = from;
        boolean negative = s.charAt(i) == '-';
        if (negative) {
            i++;
        }
        long m = 0;
        int digits = 0;
        int fraction = -1;
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                fraction = 0;
            } else if (c >= '0' && c <= '9') {
                m = m * 10 + (c - '0');
                digits++;
                if (fraction >= 0) {
                    fraction++;
                }
            } else {
                break; // an exponent
            }
        }
        if (i == to && digits <= 15) {
            double d = fraction > 0 ? m / POW10[fraction] : m;
            return negative ? -d : d;
        }
        return Double.parseDouble(s.substring(from, to));
    }

    private int string() {
        int start = pos + 1;
        int quote = s.indexOf('"', start);
        if (quote < 0) {
            return NONE;
        }
        if (nextBackslash(start) > quote) {
            if (quote - start > MAX_STRING) {
                return NONE;
            }
            from = start;
            to = quote;
            escaped = false;
            pos = quote + 1;
            return STRING;
        }
        // escapes: a quote may be one of them, so walk the chars
        boolean esc = false;
        int i = start;
        int limit = Math.min(end, start + MAX_STRING);
        while (i < limit) {
            char c = s.charAt(i);
            if (c == '"') {
                from = start;
                to = i;
                escaped = esc;
                pos = i + 1;
                return STRING;
            }
            if (c == '\\') {
                if (i + 1 >= end) {
                    return NONE;
                }
                char e = s.charAt(i + 1);
                if (e == 'u') {
                    if (i + 6 > end || hex(s.charAt(i + 2)) < 0 || hex(s.charAt(i + 3)) < 0
                            || hex(s.charAt(i + 4)) < 0 || hex(s.charAt(i + 5)) < 0) {
                        return NONE;
                    }
                    i += 6;
                } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r'
                        || e == 't') {
                    i += 2;
                } else {
                    return NONE;
                }
                esc = true;
                continue;
            }
            i++;
        }
        return NONE;
    }

    private String decode() {
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case 't': b.append('\t'); break;
                case 'u':
                    b.append((char) (hex(s.charAt(i + 1)) << 12 | hex(s.charAt(i + 2)) << 8
                            | hex(s.charAt(i + 3)) << 4 | hex(s.charAt(i + 4))));
                    i += 4;
                    break;
                default: b.append(e); break; // '"', '\\', '/': string() let no other through
            }
        }
        return b.toString();
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, JSON's grammar; what follows is checked by next(). */
    private int number() {
        int start = pos;
        int i = pos;
        boolean negative = s.charAt(i) == '-';
        if (negative) {
            i++;
        }
        int intStart = i;
        long v = 0;
        while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
            if (i - intStart > MAX_INT_DIGITS) {
                return NONE;
            }
        }
        int intDigits = i - intStart;
        if (intDigits == 0 || intDigits > 1 && s.charAt(intStart) == '0') {
            return NONE; // "-", "-x", and leading zeros, which Jackson refuses by default
        }
        boolean isFloat = false;
        if (i < end && s.charAt(i) == '.') {
            int f = ++i;
            while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == f) {
                return NONE;
            }
            isFloat = true;
        }
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int e = i;
            while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == e) {
                return NONE;
            }
            isFloat = true;
        }
        from = start;
        to = i;
        pos = i;
        if (isFloat) {
            return i - start <= MAX_FLOAT_CHARS ? FLOAT : NONE;
        }
        longValue = negative ? -v : v;
        return INT;
    }

    private void skipWs() {
        while (pos < end) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }
}
