package io.proxywatch.parse;

import java.util.Map;

/**
 * Reads logfmt (slog's TextHandler, logrus's text formatter, go-kit): {@code key=value key="quoted \"value\""}.
 * Values stay strings, as the text gives no types; the mappers convert the ones they consume. Quoted values use
 * Go's strconv.Quote escapes, which is what slog and logrus write.
 */
final class LogfmtReader {
    private LogfmtReader() {
    }

    /**
     * Fills {@code into}; false when the text is not logfmt (an unterminated quote, a quote where a key should be,
     * or mostly bare words: prose with one "a=b" in it is not a logfmt line).
     */
    static boolean read(String s, Map<String, Object> into) {
        int n = s.length();
        int i = 0;
        int pairs = 0;
        int bare = 0;
        StringBuilder sb = null;
        while (true) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int ks = i;
            char c;
            String key;
            if (s.charAt(i) == '"') {
                // slog's TextHandler quotes a key holding a space, '=' or '"' ("user agent"=curl)
                if (sb == null) {
                    sb = new StringBuilder(64);
                }
                sb.setLength(0);
                i = quoted(s, i + 1, sb);
                if (i < 0 || i >= n || s.charAt(i) != '=') {
                    return false;
                }
                key = sb.toString();
            } else {
                while (i < n && (c = s.charAt(i)) > ' ' && c != '=' && c != '"') {
                    i++;
                }
                if (i == ks) {
                    return false;
                }
                key = s.substring(ks, i);
            }
            if (i < n && s.charAt(i) == '=') {
                i++;
                String value;
                if (i < n && s.charAt(i) == '"') {
                    if (sb == null) {
                        sb = new StringBuilder(64);
                    }
                    sb.setLength(0);
                    i = quoted(s, i + 1, sb);
                    if (i < 0) {
                        return false;
                    }
                    value = sb.toString();
                } else {
                    int vs = i;
                    while (i < n && s.charAt(i) > ' ') {
                        i++;
                    }
                    value = s.substring(vs, i);
                }
                if (i < n && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                    return false;
                }
                into.put(key, value);
                pairs++;
            } else {
                if (i < n && s.charAt(i) == '"') {
                    return false;
                }
                into.put(key, Boolean.TRUE);
                bare++;
            }
        }
        return pairs >= 2 || pairs == 1 && bare == 0;
    }

    /** Reads a quoted value whose opening quote is before {@code i}; returns the index after the closing quote. */
    private static int quoted(String s, int i, StringBuilder out) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i++);
            if (c == '"') {
                return i;
            }
            if (c != '\\' || i >= n) {
                out.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n': out.append('\n'); break;
                case 't': out.append('\t'); break;
                case 'r': out.append('\r'); break;
                case '"': out.append('"'); break;
                case '\\': out.append('\\'); break;
                case '\'': out.append('\''); break;
                case 'a': out.append('\u0007'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'v': out.append('\u000b'); break;
                case 'x': i = hex(s, i, 2, out); break;
                case 'u': i = hex(s, i, 4, out); break;
                case 'U': i = hex(s, i, 8, out); break;
                default: out.append('\\').append(e); break;
            }
        }
        return -1;
    }

    private static int hex(String s, int i, int len, StringBuilder out) {
        if (i + len > s.length()) {
            out.append('\\').append(s.charAt(i - 1));
            return i;
        }
        int v = 0;
        for (int k = i; k < i + len; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0) {
                out.append('\\').append(s.charAt(i - 1));
                return i;
            }
            v = v * 16 + d;
        }
        if (len == 2) {
            // \xNN is one byte of invalid UTF-8 in Go's quoting: show it as the replacement character
            out.append(v < 0x80 ? (char) v : '\uFFFD');
        } else if (Character.isValidCodePoint(v)) {
            out.appendCodePoint(v);
        } else {
            out.append('\uFFFD');
        }
        return i + len;
    }
}
