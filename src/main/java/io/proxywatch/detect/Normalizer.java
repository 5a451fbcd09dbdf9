package io.proxywatch.detect;

import java.util.Locale;
import java.util.Map;

/**
 * Brings a request field to one canonical spelling before signatures look at it, so a rule written for
 * {@code ../} or {@code <script} also catches {@code %252e%252e%255c}, {@code %c0%ae%c0%ae/} and
 * {@code &lt;ScRiPt}. Attackers pick whichever spelling the filter forgot; the rules should only have to know one.
 *
 * <p>Steps, in order: percent-decoding (with {@code %uXXXX} IIS escapes, overlong UTF-8 folded to its ASCII
 * character, and {@code +} as a space in queries) and HTML entity decoding, repeated until the text stops changing
 * (at most {@value #MAX_PASSES} passes: double and triple encoding are common, more is noise); look-alike characters
 * (full-width forms, division slash, typographic quotes) folded to ASCII; for paths, backslashes to slashes, plain
 * {@code ;param} path parameters dropped, and {@code //} and {@code /./} read as {@code /}, as a servlet container
 * routes them; lower case; SQL comments folded; runs of whitespace to one space.
 *
 * <p>A line break folds to a space like any blank, since SQL reads it as one ({@code union%0aselect}); to a shell it
 * ends a command, so the command-injection rules also read {@link ShellView}'s reading, which starts from
 * {@link #decode}, the steps before the folding.
 *
 * <p>Most lines carry none of the characters any step acts on (a plain {@code /images/logo.png}); those are only
 * lower-cased, without building a new string, because this runs on every field of every access line.
 *
 * <p>Stateless and thread-safe.
 */
public final class Normalizer {
    /** Which field the text came from: the decoding rules differ slightly. */
    public enum Mode {
        /** URL path: backslash is a separator on Windows servers, {@code ;} starts a path parameter. */
        PATH,
        /** Query string, and the Referer (a URL whose query is one): {@code +} is a space. */
        QUERY,
        /** Other header values (User-Agent): percent-decoded too, {@code +} kept. */
        HEADER
    }

    static final int MAX_PASSES = 4;

    private static final Map<String, Character> ENTITIES = Map.ofEntries(
            Map.entry("lt", '<'), Map.entry("gt", '>'), Map.entry("quot", '"'), Map.entry("apos", '\''),
            Map.entry("amp", '&'), Map.entry("tab", '\t'), Map.entry("newline", '\n'), Map.entry("nbsp", ' '),
            Map.entry("colon", ':'), Map.entry("semi", ';'), Map.entry("comma", ','), Map.entry("period", '.'),
            Map.entry("sol", '/'), Map.entry("bsol", '\\'), Map.entry("lpar", '('), Map.entry("rpar", ')'),
            Map.entry("lsqb", '['), Map.entry("rsqb", ']'), Map.entry("lbrack", '['), Map.entry("rbrack", ']'),
            Map.entry("lcub", '{'), Map.entry("rcub", '}'), Map.entry("excl", '!'), Map.entry("equals", '='),
            Map.entry("num", '#'), Map.entry("dollar", '$'), Map.entry("percnt", '%'), Map.entry("plus", '+'),
            Map.entry("ast", '*'), Map.entry("grave", '`'), Map.entry("verbar", '|'), Map.entry("quest", '?'),
            Map.entry("lowbar", '_'), Map.entry("hyphen", '-'), Map.entry("dash", '-'));
    /** By first letter, longest first, so "&newline" is not read as a shorter name that is its prefix. */
    private static final String[][] ENTITY_NAMES = new String[26][];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            char first = c;
            ENTITY_NAMES[c - 'a'] = ENTITIES.keySet().stream().filter(e -> e.charAt(0) == first)
                    .sorted((a, b) -> b.length() - a.length()).toArray(String[]::new);
        }
    }

    private Normalizer() {
    }

    /** The canonical form of {@code s}; null stays null. */
    public static String normalize(String s, Mode mode) {
        if (s == null) {
            return null;
        }
        if (!needsWork(s, mode)) {
            return s.toLowerCase(Locale.ROOT);
        }
        return foldCommentsAndWhitespace(decode(s, mode));
    }

    /**
     * {@code s} decoded, its look-alikes (and a path's separators) folded, in lower case: every step but the last
     * two, so a reader with other rules for comments and line breaks than SQL's ({@link ShellView}) can start here.
     */
    static String decode(String s, Mode mode) {
        String t = s;
        boolean entitiesDone = false; // the last entity pass changed nothing: no need to scan again
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            String decoded = percentDecode(t, mode == Mode.QUERY);
            if (decoded == t && entitiesDone) {
                break;
            }
            String next = decodeEntities(decoded);
            entitiesDone = next == decoded;
            if (next == t) {
                break;
            }
            t = next;
        }
        t = foldLookalikes(t);
        if (mode == Mode.PATH) {
            t = pathSeparators(t);
        }
        return t.toLowerCase(Locale.ROOT);
    }

    /** The last two steps, on the output of {@link #decode}: SQL comments, then runs of whitespace, to one space. */
    static String foldCommentsAndWhitespace(String decoded) {
        return foldWhitespace(foldSqlComments(decoded));
    }

    /** True when some step below could change {@code s}; false means lower-casing is all there is to do. */
    static boolean needsWork(String s, Mode mode) {
        boolean[] trigger = TRIGGERS[mode.ordinal()];
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || trigger[c]) {
                return true;
            }
            // pairs: "--" starts a comment, "  " is a run of spaces
            if ((c == '-' || c == ' ') && i + 1 < n && s.charAt(i + 1) == c) {
                return true;
            }
            // in a path, "//" and "/./" are one "/" to the server
            if (c == '/' && mode == Mode.PATH && i + 1 < n && (s.charAt(i + 1) == '/'
                    || s.charAt(i + 1) == '.' && (i + 2 == n || s.charAt(i + 2) == '/'))) {
                return true;
            }
        }
        return false;
    }

    /** Per mode, the ASCII characters that some step acts on on their own. */
    private static final boolean[][] TRIGGERS = new boolean[Mode.values().length][128];

    static {
        for (Mode m : Mode.values()) {
            boolean[] t = TRIGGERS[m.ordinal()];
            for (char c = 0; c < 0x20; c++) {
                t[c] = true;
            }
            t[0x7f] = true;
            for (char c : "%&#*".toCharArray()) {
                t[c] = true;
            }
            t['+'] = m == Mode.QUERY;
            t['\\'] = m == Mode.PATH;
            t[';'] = m == Mode.PATH;
        }
    }

    // ---------------------------------------------------------------- percent-decoding

    /** One pass of %XX / %uXXXX decoding; returns {@code s} itself when there was nothing to decode. */
    static String percentDecode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
            return s;
        }
        int n = s.length();
        StringBuilder out = new StringBuilder(n);
        byte[] bytes = new byte[n];
        boolean changed = false;
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '%' && i + 1 < n && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')
                    && hex4(s, i + 2) >= 0) {
                out.append((char) hex4(s, i + 2));
                i += 6;
                changed = true;
            } else if (c == '%' && i + 2 < n && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                // a run of %XX: bytes, decoded together so multi-byte (and overlong) UTF-8 comes out whole
                int len = 0;
                while (i + 2 < n && s.charAt(i) == '%' && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                    bytes[len++] = (byte) (hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
                    i += 3;
                }
                decodeUtf8(bytes, len, out);
                changed = true;
            } else if (c == '+' && plusIsSpace) {
                out.append(' ');
                i++;
                changed = true;
            } else {
                // copy the run up to the next character that decodes in one go
                int j = i + 1;
                while (j < n && s.charAt(j) != '%' && !(plusIsSpace && s.charAt(j) == '+')) {
                    j++;
                }
                out.append(s, i, j);
                i = j;
            }
        }
        return changed ? out.toString() : s;
    }

    /**
     * UTF-8 that also accepts the overlong forms old IIS and Tomcat decoders accepted ({@code C0 AE} is '.',
     * {@code E0 80 AF} is '/'): folded to the character they spell. A byte that starts no valid sequence is kept as
     * the Latin-1 character of that value, so nothing is lost.
     */
    static void decodeUtf8(byte[] b, int len, StringBuilder out) {
        int i = 0;
        while (i < len) {
            int b0 = b[i] & 0xff;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
            } else if (b0 >= 0xc0 && b0 < 0xe0 && i + 1 < len && cont(b[i + 1])) {
                out.append((char) ((b0 & 0x1f) << 6 | (b[i + 1] & 0x3f)));
                i += 2;
            } else if (b0 >= 0xe0 && b0 < 0xf0 && i + 2 < len && cont(b[i + 1]) && cont(b[i + 2])) {
                out.append((char) ((b0 & 0x0f) << 12 | (b[i + 1] & 0x3f) << 6 | (b[i + 2] & 0x3f)));
                i += 3;
            } else if (b0 >= 0xf0 && b0 < 0xf8 && i + 3 < len && cont(b[i + 1]) && cont(b[i + 2]) && cont(b[i + 3])) {
                int cp = (b0 & 0x07) << 18 | (b[i + 1] & 0x3f) << 12 | (b[i + 2] & 0x3f) << 6 | (b[i + 3] & 0x3f);
                if (cp <= 0x10ffff) {
                    out.appendCodePoint(cp);
                } else {
                    out.append('\ufffd');
                }
                i += 4;
            } else {
                out.append((char) b0);
                i++;
            }
        }
    }

    private static boolean cont(byte b) {
        return (b & 0xc0) == 0x80;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static int hex4(String s, int at) {
        if (at + 4 > s.length()) {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int h = hex(s.charAt(at + k));
            if (h < 0) {
                return -1;
            }
            v = v << 4 | h;
        }
        return v;
    }

    // ---------------------------------------------------------------- HTML entities

    /** {@code &lt;}, {@code &#60;}, {@code &#x3c;}, with or without the closing ';' (browsers accept both). */
    static String decodeEntities(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        for (int i = amp; i >= 0 && i < n; i = s.indexOf('&', i + 1)) {
            int end;
            int cp = -1;
            if (i + 1 < n && s.charAt(i + 1) == '#') {
                boolean hexForm = i + 2 < n && (s.charAt(i + 2) == 'x' || s.charAt(i + 2) == 'X');
                int j = i + (hexForm ? 3 : 2);
                int start = j;
                while (j < n && s.charAt(j) == '0') {
                    j++; // a browser reads any number of leading zeros: &#0000000058; is ':'
                }
                int digits = j;
                long v = 0;
                while (j < n && j - digits < 8 && (hexForm ? hex(s.charAt(j)) >= 0 : isDigit(s.charAt(j)))) {
                    v = v * (hexForm ? 16 : 10) + (hexForm ? hex(s.charAt(j)) : s.charAt(j) - '0');
                    j++;
                }
                if (j == start || v > 0x10ffff) {
                    continue;
                }
                cp = (int) v;
                end = j < n && s.charAt(j) == ';' ? j + 1 : j;
            } else {
                String name = entityAt(s, i + 1);
                if (name == null) {
                    continue;
                }
                int k = i + 1 + name.length();
                boolean semi = k < n && s.charAt(k) == ';';
                // without its ';', "&lt=5" is a parameter named lt, not '<' (browsers agree, in URLs and attributes)
                if (!semi && k < n && s.charAt(k) == '=') {
                    continue;
                }
                cp = ENTITIES.get(name);
                end = semi ? k + 1 : k;
            }
            if (out == null) {
                out = new StringBuilder(n);
            }
            out.append(s, copied, i).appendCodePoint(cp);
            copied = end;
            i = end - 1;
        }
        if (out == null) {
            return s;
        }
        return out.append(s, copied, n).toString();
    }

    /** The longest entity name spelled at {@code at} (any case), or null; no allocation. */
    private static String entityAt(String s, int at) {
        if (at >= s.length()) {
            return null;
        }
        char c = Character.toLowerCase(s.charAt(at));
        if (c < 'a' || c > 'z') {
            return null;
        }
        for (String name : ENTITY_NAMES[c - 'a']) {
            if (s.regionMatches(true, at, name, 0, name.length())) {
                return name;
            }
        }
        return null;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    // ---------------------------------------------------------------- look-alikes, paths

    /**
     * Characters that servers or databases "best-fit" to ASCII: full-width forms (＜script＞), the division
     * slash and set-minus IIS reads as / and \, typographic quotes MySQL and some ORMs treat as quotes. NUL is
     * dropped (C strings end there, so {@code .%00./} reaches the file system as {@code ../}).
     */
    static String foldLookalikes(String s) {
        StringBuilder out = null;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c > 0 && c < 0x80) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            char f = c == 0 ? 0 : fold(c);
            if (f == c && c != 0) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n).append(s, 0, i);
            }
            if (f != 0) {
                out.append(f);
            }
        }
        return out == null ? s : out.toString();
    }

    private static char fold(char c) {
        if (c < 0x80) {
            return c;
        }
        if (c >= '\uff01' && c <= '\uff5e') {
            return (char) (c - 0xff01 + 0x21);
        }
        return switch (c) {
            case '\u2215', '\u2044', '\u29f8' -> '/';
            case '\u2216', '\u29f5', '\u29f9' -> '\\';
            case '\u2018', '\u2019', '\u201a', '\u201b', '\u00b4', '\u02b9', '\u02bc', '\u2032' -> '\'';
            case '\u201c', '\u201d', '\u201e', '\u2033', '\u02ba' -> '"';
            case '\u02c2', '\u2039', '\u2329', '\u3008' -> '<';
            case '\u02c3', '\u203a', '\u232a', '\u3009' -> '>';
            case '\u00a0', '\u2000', '\u2001', '\u2002', '\u2003', '\u2009', '\u200a', '\u3000' -> ' ';
            case '\u200b', '\u200c', '\u200d', '\ufeff' -> 0;
            default -> c;
        };
    }

    /**
     * The path as a servlet container routes it: backslashes are separators ({@code ..\\}), a path parameter is
     * dropped from its segment ({@code ..;/} and {@code /manager;/html} reach {@code ../} and {@code /manager/html},
     * Tomcat's and Spring's way past path rules), and {@code //} and {@code /./} are one {@code /}. A parameter is
     * dropped only when it is plain ({@code ;jsessionid=1A2B}): one holding quotes, spaces or brackets stays for the
     * injection rules to see. {@code ..} is kept: it is what the traversal rules look for.
     */
    static String pathSeparators(String s) {
        String t = s.indexOf('\\') >= 0 ? s.replace('\\', '/') : s;
        int n = t.length();
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = t.charAt(i);
            if (c == ';') {
                int end = t.indexOf('/', i);
                end = end < 0 ? n : end;
                if (plainParameter(t, i + 1, end)) {
                    i = end - 1;
                    continue;
                }
            } else if (c == '/' && out.length() > 0 && out.charAt(out.length() - 1) == '/'
                    && !(out.length() > 1 && out.charAt(out.length() - 2) == ':')) {
                continue; // "//", but not a URL's "://" carried in the path
            } else if (c == '.' && out.length() > 0 && out.charAt(out.length() - 1) == '/'
                    && (i + 1 == n || t.charAt(i + 1) == '/' || t.charAt(i + 1) == ';')) {
                i += i + 1 < n && t.charAt(i + 1) == '/' ? 1 : 0; // "/./" and a final "/.": the "." segment goes
                continue;
            }
            out.append(c);
        }
        return out.length() == n ? t : out.toString();
    }

    /**
     * Letters, digits and {@code _ = . - , ;} only: session ids and matrix parameters, not a payload. A segment's
     * whole run of them is judged at once ({@code ;;} and {@code ;a;} too), as the container drops it at once.
     */
    private static boolean plainParameter(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '='
                    || c == '.' || c == '-' || c == ',' || c == ';')) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- SQL comments, whitespace

    /**
     * {@code /*...*}{@code /} reads as a space to SQL ({@code union/**}{@code /select}); MySQL's versioned
     * {@code /*!50000select*}{@code /} runs its content, so only the markers go. A {@code #} or {@code -- } comment
     * that a newline ends is also a space to SQL ({@code union#x%0aselect}); one that runs to the end of the text
     * is kept as it is: the marker is itself a sign ({@code admin'--}), and dropping the text after it would let a
     * leading {@code %23} hide any payload.
     */
    static String foldSqlComments(String s) {
        if (!hasSqlCommentSign(s)) {
            return s;
        }
        int n = s.length();
        StringBuilder out = new StringBuilder(n);
        int i = 0;
        int versioned = 0; // open /*! comments, whose "*/" is dropped too
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                if (i + 2 < n && s.charAt(i + 2) == '!') {
                    int j = i + 3;
                    while (j < n && isDigit(s.charAt(j))) {
                        j++;
                    }
                    out.append(' ');
                    i = j; // content stays; its "*/" is dropped below
                    versioned++;
                    continue;
                }
                // searched only here, where i then moves past what was searched: for every "/*!" it made each
                // request of "/*!" repeated cost the square of its length (88 s for a 1 MiB header)
                int close = s.indexOf("*/", i + 2);
                if (close < 0) {
                    out.append(s, i, n); // never closed: not a comment (a glob like /et*/ or a path)
                    break;
                }
                out.append(' ');
                i = close + 2;
            } else if (versioned > 0 && c == '*' && i + 1 < n && s.charAt(i + 1) == '/') {
                out.append(' ');
                versioned--;
                i += 2;
            } else if (c == '#' || (c == '-' && i + 1 < n && s.charAt(i + 1) == '-')) {
                int nl = s.indexOf('\n', i);
                if (nl < 0) {
                    out.append(s, i, n);
                    i = n;
                } else {
                    out.append(' ');
                    i = nl + 1;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Whether {@code s} holds what could open an SQL comment: {@code *}, {@code #} or {@code --}. */
    static boolean hasSqlCommentSign(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('#') >= 0 || s.indexOf("--") >= 0;
    }

    /** A blank as the folding counts it: space, control characters (tab, CR, LF, ...), DEL. */
    static boolean isBlank(char c) {
        return c == ' ' || c < 0x20 || c == 0x7f;
    }

    /** Tabs, newlines, CR, form feeds and runs of spaces become one space, so a rule can say " " and mean any. */
    static String foldWhitespace(String s) {
        int n = s.length();
        StringBuilder out = null;
        boolean prevSpace = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean space = isBlank(c);
            if (space) {
                if (prevSpace || c != ' ') {
                    if (out == null) {
                        out = new StringBuilder(n).append(s, 0, i);
                    }
                    if (!prevSpace) {
                        out.append(' ');
                    }
                } else if (out != null) {
                    out.append(' ');
                }
            } else if (out != null) {
                out.append(c);
            }
            prevSpace = space;
        }
        return out == null ? s : out.toString();
    }
}
