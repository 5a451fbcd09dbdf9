package io.proxywatch.parse;

import io.proxywatch.record.LogRecord;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns one log line into a {@link LogRecord}, in a named format or, with {@code auto}, in whichever format the
 * line itself shows. Never throws and never drops a line: what no format understands is kept with
 * {@code parseError} set and the text as the message, so nothing a proxy logged is lost on the way.
 *
 * <p>Auto-detection looks at the first characters only: '{' is the JSON family (told apart by keys, see
 * {@link JsonFormats}), a "2006/01/02 15:04:05" header Go's log package, {@code host ident user [date] "req"} CLF
 * or Combined, {@code time=}/{@code level=} pairs logfmt, "panic: " a Go runtime panic.
 *
 * <p>Field mapping: the keys a format defines go to the record's own properties (see {@link LoggerFields},
 * {@link CaddyFields}, {@link TraefikFields}, {@link ClfParser}, {@link GoLogParser}); every other key the line
 * carried stays in {@code fields} as String, Number, Boolean or JsonNode. Caddy's {@code request} object is
 * flattened into {@code request.host}, {@code request.proto}, ... A timestamp that does not parse stays in fields
 * and the record gets "now". Paths and queries are kept exactly as logged, percent-encoding included.
 *
 * <p>The structured contract's access lines, nearly all a proxy writes, are read by {@link AccessJsonLine} straight
 * into the record; it hands every other line to the general path above, which stays the reference.
 *
 * <p>Thread-safe: all per-line state lives on the stack; the shared state is the error counter and a lock-free
 * cache of repeated strings.
 */
public final class RecordParser {
    /** The format names the configuration accepts, "auto" first. */
    public static final Set<String> FORMATS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            "auto", "json", "slog", "zap", "logrus", "zerolog", "caddy", "traefik", "golog", "logfmt", "clf")));

    /** The formats that are not JSON: a line cut short in one of them is not read as JSON. */
    private static final Set<String> TEXT_FORMATS = Set.of("golog", "logfmt", "clf");

    private static final char REPLACEMENT = '\uFFFD';
    private static final int SNIFF_LIMIT = 256;

    private final String format;
    private final String defaultService;
    /** Whether contract access lines take {@link AccessJsonLine}; off only in tests comparing it with the general path. */
    private final boolean fastPath;
    private final StringCache strings = new StringCache();
    private final LongAdder parseErrors = new LongAdder();
    /** The last file's service from its name: lines come a chunk of one file at a time, so this is rarely redone. */
    private volatile FileService lastFile = new FileService(null, null);

    private record FileService(String file, String service) {
    }

    /**
     * @param format         "auto" or one of {@link #FORMATS}
     * @param defaultService the service of records whose line names none; null takes the file name without its
     *                       extension ({@code /var/log/caddy/access.log} gives {@code access})
     * @throws IllegalArgumentException for a format name not in {@link #FORMATS}
     */
    public RecordParser(String format, String defaultService) {
        this(format, defaultService, true);
    }

    RecordParser(String format, String defaultService, boolean fastPath) {
        if (format == null || !FORMATS.contains(format)) {
            throw new IllegalArgumentException("unknown format '" + format + "'; one of " + String.join(", ", FORMATS));
        }
        this.format = format;
        this.defaultService = defaultService;
        this.fastPath = fastPath && ("auto".equals(format) || "json".equals(format));
    }

    public String format() {
        return format;
    }

    /** Lines kept as parse errors since this parser was made. */
    public long parseErrors() {
        return parseErrors.sum();
    }

    /** Never null, never throws; {@code line} may be null (read as empty). */
    public LogRecord parse(String line, String file, long offset) {
        return parse(line, file, offset, false);
    }

    /**
     * As {@link #parse(String, String, long)}; {@code cut}: the line was cut at the maximum line size. A cut JSON
     * access line whose request is before the cut (a proxy logs the request's headers before its status) keeps
     * what was read: padded past the size with a megabyte header, a request was otherwise unparsed and unchecked.
     */
    public LogRecord parse(String line, String file, long offset, boolean cut) {
        String raw = line == null ? "" : line;
        String text = trim(raw);
        LogRecord r = new LogRecord();
        boolean ok;
        try {
            ok = text != null && ("auto".equals(format) ? auto(text, r) : named(format, text, r));
            if (!ok && cut && text != null && text.charAt(0) == '{' && !TEXT_FORMATS.contains(format)) {
                r = new LogRecord();
                ok = cutRequest(text, r);
            }
        } catch (RuntimeException | StackOverflowError e) {
            // a parser bug must cost one line, not the route: keep the line as an error
            ok = false;
        }
        if (!ok) {
            r = failed(text == null ? "" : text);
        }
        r.setRaw(raw);
        r.setSourceFile(file);
        r.setSourceOffset(offset);
        if (r.getService() == null) {
            r.setService(defaultService != null ? defaultService : serviceOf(file));
        }
        if (r.getTimestamp() == null) {
            r.setTimestamp(Instant.now());
        }
        if (r.getMessage() == null) {
            r.setMessage("");
        }
        return r;
    }

    private String serviceOf(String file) {
        if (file == null) {
            return null;
        }
        FileService last = lastFile;
        if (!file.equals(last.file())) {
            String name = java.nio.file.Path.of(file).getFileName().toString();
            int dot = name.indexOf('.');
            last = new FileService(file, dot > 0 ? name.substring(0, dot) : name);
            lastFile = last;
        }
        return last.service();
    }

    private boolean auto(String s, LogRecord r) {
        char c = s.charAt(0);
        if (c == '{') {
            return json(null, s, r);
        }
        if (Timestamps.isDigit(c) && Timestamps.goLogAt(s, 0)) {
            return text("golog", s, r);
        }
        if (ZapConsoleLine.looks(s)) {
            if (ZapConsoleLine.read(s, r)) {
                return true;
            }
            r.getFields().clear();
        }
        if (ClfParser.looks(s) && ClfParser.parse(s, r, strings)) {
            r.setFormat("clf");
            return true;
        }
        if (looksLogfmt(s)) {
            return logfmt(s, r);
        }
        if (GoLogParser.headerAt(s) > 0 || GoLogParser.isPanic(s)) {
            return text("golog", s, r);
        }
        return false;
    }

    private boolean named(String f, String s, LogRecord r) {
        switch (f) {
            case "golog":
            case "clf":
                return text(f, s, r);
            case "logfmt":
                return logfmt(s, r);
            default:
                return json(f, s, r);
        }
    }

    /** @param forced the configured JSON format, or null to classify the line by its keys */
    private boolean json(String forced, String s, LogRecord r) {
        if (s.charAt(0) != '{') {
            return false;
        }
        if (fastPath && AccessJsonLine.read(s, r, strings)) {
            return true;
        }
        return JsonLineReader.read(s, r.getFields()) && mapJson(forced, r);
    }

    /** Maps the JSON fields read into {@code r} as {@code forced} (null: as their keys say); false when they do not fit it. */
    private static boolean mapJson(String forced, LogRecord r) {
        String f = forced;
        if (f == null) {
            f = JsonFormats.classify(r.getFields());
        } else if (!JsonFormats.fits(f, r.getFields())) {
            return false;
        }
        r.setFormat(f);
        switch (f) {
            case "caddy" -> CaddyFields.map(r);
            case "traefik" -> TraefikFields.map(r);
            default -> LoggerFields.map(r, f);
        }
        return true;
    }

    /** The fields of a cut JSON line, when they are an access request's: a method and a path at least. */
    private boolean cutRequest(String s, LogRecord r) {
        return JsonLineReader.readCut(s, r.getFields()) && mapJson("auto".equals(format) ? null : format, r)
                && r.getMethod() != null && r.getPath() != null;
    }

    private static boolean logfmt(String s, LogRecord r) {
        if (!LogfmtReader.read(s, r.getFields())) {
            return false;
        }
        r.setFormat("logfmt");
        LoggerFields.map(r, "logfmt");
        return true;
    }

    private boolean text(String f, String s, LogRecord r) {
        boolean ok = "clf".equals(f) ? ClfParser.parse(s, r, strings) : GoLogParser.parse(s, r);
        if (ok) {
            r.setFormat(f);
        }
        return ok;
    }

    private static boolean looksLogfmt(String s) {
        return s.startsWith("time=") || s.startsWith("level=") || s.startsWith("ts=") || s.startsWith("lvl=")
                || s.startsWith("msg=") || s.startsWith("t=") || s.startsWith("@timestamp=") || s.startsWith("@level=")
                || s.indexOf('=') > 0 && (s.contains(" level=") || s.contains(" msg=") || s.contains(" time="));
    }

    private LogRecord failed(String text) {
        parseErrors.increment();
        LogRecord r = new LogRecord();
        r.setParseError(true);
        r.setMessage(sanitize(text));
        r.setLevel(sniffAnywhere(text));
        return r;
    }

    /** Strips the line ending remnants (a CRLF file leaves '\r') and a byte-order mark; null when only blanks. */
    static String trim(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\r' || s.charAt(end - 1) == '\n')) {
            end--;
        }
        int start = 0;
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t' || s.charAt(start) == '\uFEFF')) {
            start++;
        }
        if (start == end) {
            return null;
        }
        return start == 0 && end == s.length() ? s : s.substring(start, end);
    }

    /** Control characters (C0 but tab and newline, DEL, C1) become U+FFFD so a junk line cannot drive a terminal. */
    static String sanitize(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && !isControl(s.charAt(i))) {
            i++;
        }
        if (i == n) {
            return s;
        }
        char[] out = s.toCharArray();
        for (; i < n; i++) {
            if (isControl(out[i])) {
                out[i] = REPLACEMENT;
            }
        }
        return new String(out);
    }

    private static boolean isControl(char c) {
        return c < 0x20 && c != '\t' && c != '\n' || c >= 0x7f && c <= 0x9f;
    }

    /** A level for a line nothing parsed: its first word, else an upper-case level word near its start. */
    private static String sniffAnywhere(String s) {
        String first = Levels.sniff(s);
        if (!Levels.INFO.equals(first)) {
            return first;
        }
        String head = s.length() > SNIFF_LIMIT ? s.substring(0, SNIFF_LIMIT) : s;
        String[] words = {"FATAL", "PANIC", "ERROR", "WARN"};
        for (String w : words) {
            int at = head.indexOf(w);
            while (at >= 0) {
                boolean before = at == 0 || !Character.isLetter(head.charAt(at - 1));
                int end = at + w.length();
                boolean after = end >= head.length() || !Character.isLetter(head.charAt(end))
                        || head.startsWith("ING", end);
                if (before && after) {
                    return Levels.canonical(w);
                }
                at = head.indexOf(w, at + 1);
            }
        }
        return Levels.INFO;
    }
}
