package io.proxywatch.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The {@code --config} file as an operator wrote it, on Linux or Windows, read into properties. */
public final class ConfigFile {
    private ConfigFile() {
    }

    /**
     * The {@code --config} file, read as UTF-8 (a byte-order mark, as Windows editors write, skipped), or as UTF-16
     * when it starts with that byte-order mark (what Windows PowerShell 5.1's {@code >} and {@code Out-File} write:
     * read as anything else its keys were garbage and the file silently did nothing); a file that is not valid
     * UTF-8 is read as ISO-8859-1, the encoding of Java's own properties files. Read as ISO-8859-1 always, a UTF-8
     * file's non-ASCII values (a log folder or a sender's name in Chinese) came out garbled, and silently won over
     * the defaults. The backslashes of file and folder settings are read as Windows writes them ({@link
     * #windowsBackslashes}).
     */
    public static Properties read(Path file) {
        if (file == null) {
            return null;
        }
        Properties p = new Properties();
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text;
            if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe) {
                text = new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE);
            } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff) {
                text = new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16BE);
            } else {
                try {
                    text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
                } catch (CharacterCodingException notUtf8) {
                    text = new String(bytes, StandardCharsets.ISO_8859_1);
                }
            }
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            if (text.indexOf('\0') >= 0) {
                throw new ConfigError("--config " + file + ": holds NUL characters (UTF-16 without a byte-order mark?):"
                        + " save it as UTF-8");
            }
            p.load(new StringReader(windowsBackslashes(text)));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigError("--config " + file + ": " + e.getMessage());
        }
        return p;
    }

    /**
     * The text with the backslashes of file and folder settings read as the operator meant them. A path setting
     * (its key ends in {@code paths}, {@code dir}, {@code file}, {@code truststore} or {@code keystore}) whose
     * backslashes all come in pairs (or escape {@code : = # !}, a space or a Unicode code) is written in Java's
     * escaped style: {@code C:\\\\logs\\\\*.log} is read as Java reads it. One with a lone backslash is written as
     * on Windows: {@code C:\\logs\\*.log} and {@code \\\\fileserver\\logs} are kept as written, and a backslash
     * ending it is a folder's ({@code C:\\data\\}) unless the next line is indented (a list continued). Read as
     * Java reads them, the {@code n} and {@code t} of {@code D:\\nginx\\traefik} became a newline and a tab, the
     * other lone backslashes vanished, and proxywatch watched {@code C:logs*.log}: nothing, without a word. Every
     * other setting (patterns, URLs, text) is read as Java reads it.
     */
    static String windowsBackslashes(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder(text.length() + 16);
        boolean pathValue = false; // the line continues a path setting's value
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (i > 0) {
                out.append('\n');
            }
            boolean path = pathValue || isPathSetting(line);
            boolean continued = path && oddTrailingBackslashes(line) && i + 1 < lines.length
                    && (lines[i + 1].startsWith(" ") || lines[i + 1].startsWith("\t"));
            String body = continued ? line.substring(0, line.length() - 1) : line;
            if (path && body.indexOf('\\') >= 0) {
                body = hasLoneBackslash(body) ? literal(body) : javaEscaped(body);
            }
            out.append(body).append(continued ? "\\" : "");
            pathValue = continued;
        }
        return out.toString();
    }

    /** The line sets a file or folder (or a list of globs): its key says so. */
    private static boolean isPathSetting(String line) {
        String t = line.stripLeading();
        if (t.isEmpty() || t.charAt(0) == '#' || t.charAt(0) == '!') {
            return false;
        }
        int end = 0;
        while (end < t.length() && t.charAt(end) != '=' && t.charAt(end) != ':' && !Character.isWhitespace(t.charAt(end))) {
            end++;
        }
        String key = t.substring(0, end);
        return key.endsWith("paths") || key.endsWith("dir") || key.endsWith("file") || key.endsWith("truststore")
                || key.endsWith("keystore");
    }

    private static boolean oddTrailingBackslashes(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    /** True when some backslash of {@code line} is neither half of a pair nor an escape Java gives a meaning. */
    private static boolean hasLoneBackslash(String line) {
        int n = line.length();
        for (int i = 0; i < n; i++) {
            if (line.charAt(i) != '\\') {
                continue;
            }
            char next = i + 1 < n ? line.charAt(i + 1) : '\r';
            if (next == '\\' || escapedAlways(next) || next == 'u' && hex4(line, i + 2)) {
                i++;
                continue;
            }
            return true;
        }
        return false;
    }

    /** Java's reading, less the line continuation: a final backslash stays one. */
    private static String javaEscaped(String line) {
        return oddTrailingBackslashes(line) ? line + "\\" : line;
    }

    /** Every backslash kept, save the escapes of : = # ! and a space, which tools write and Windows paths never hold. */
    private static String literal(String line) {
        StringBuilder out = new StringBuilder(line.length() + 8);
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < n && escapedAlways(line.charAt(i + 1))) {
                out.append(c).append(line.charAt(++i));
            } else if (c == '\\') {
                out.append("\\\\");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean escapedAlways(char c) {
        return c == ':' || c == '=' || c == '#' || c == '!' || c == ' ';
    }

    private static boolean hex4(String s, int from) {
        if (from + 4 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 4; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
