package io.proxywatch.tail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files that the configured globs match right now. Globs are matched on absolute paths written with
 * forward slashes, so {@code C:\logs\*.log} and {@code C:/logs/*.log} mean the same on Windows; {@code *} and
 * {@code ?} stay inside one folder, {@code **} crosses folders, {@code {a,b}} and {@code [abc]} work as usual.
 * A folder that does not exist yet matches nothing, and is looked at again on the next scan.
 */
public final class PathGlobs {
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    private static final int MAX_DEPTH = 16;

    private record Glob(String text, Path base, Pattern regex, boolean recursive, int depth) {
    }

    private final List<Glob> globs = new ArrayList<>();

    public PathGlobs(List<String> patterns) {
        for (String p : patterns) {
            globs.add(compile(p));
        }
    }

    /**
     * Splits the property value at commas, or semicolons (a Windows list's separator), keeping commas inside
     * {@code {a,b}} alternatives.
     */
    public static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (char c : value.toCharArray()) {
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth = Math.max(0, depth - 1);
            }
            if ((c == ',' || c == ';') && depth == 0) {
                add(out, cur);
            } else {
                cur.append(c);
            }
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur) {
        String s = cur.toString().trim();
        if (!s.isEmpty()) {
            out.add(s);
        }
        cur.setLength(0);
    }

    /** Each glob with what it matches now, for the start-up banner: a glob matching nothing is the usual mistake. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Glob g : globs) {
            if (!Files.isDirectory(g.base())) {
                out.add(g.text() + "  (folder " + g.base() + " not there yet: waiting)");
                continue;
            }
            int n = new PathGlobs(List.of(g.text())).match().size();
            out.add(g.text() + "  (" + (n == 0 ? "no file matches yet: waiting; check the pattern if the proxy"
                    + " already writes its log there" : n == 1 ? "1 file now" : n + " files now") + ")");
        }
        return out;
    }

    /** The folders the globs start from (watched for new files; they may not exist yet). */
    public List<Path> bases() {
        List<Path> out = new ArrayList<>(globs.size());
        for (Glob g : globs) {
            out.add(g.base());
        }
        return out;
    }

    public Set<Path> match() {
        Set<Path> out = new LinkedHashSet<>();
        for (Glob g : globs) {
            if (!Files.isDirectory(g.base())) {
                continue;
            }
            try (Stream<Path> s = Files.walk(g.base(), g.recursive() ? MAX_DEPTH : g.depth())) {
                s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(p))
                        .filter(p -> g.regex().matcher(normalise(p)).matches())
                        .forEach(p -> out.add(p.toAbsolutePath().normalize()));
            } catch (IOException | java.io.UncheckedIOException e) {
                // a folder vanishing mid-walk (rotation in progress) is retried on the next scan
            }
        }
        return out;
    }

    public boolean matches(Path p) {
        String n = normalise(p);
        for (Glob g : globs) {
            if (g.regex().matcher(n).matches()) {
                return true;
            }
        }
        return false;
    }

    private static String normalise(Path p) {
        String s = p.toAbsolutePath().normalize().toString().replace('\\', '/');
        return WINDOWS ? s.toLowerCase(Locale.ROOT) : s;
    }

    private static Glob compile(String text) {
        String slashed = text.replace('\\', '/');
        int firstMeta = indexOfMeta(slashed);
        String literal = firstMeta < 0 ? slashed : slashed.substring(0, firstMeta);
        int cut = literal.lastIndexOf('/');
        String baseText = firstMeta < 0 ? parentOf(slashed) : (cut < 0 ? "." : (cut == 0 ? "/" : literal.substring(0, cut)));
        Path base = Paths.get(baseText).toAbsolutePath().normalize();
        String rest = firstMeta < 0 ? Paths.get(slashed).getFileName().toString()
                : slashed.substring(cut + 1);
        String absBase = base.toString().replace('\\', '/');
        String full = (absBase.endsWith("/") ? absBase : absBase + "/") + rest;
        if (WINDOWS) {
            full = full.toLowerCase(Locale.ROOT);
        }
        boolean recursive = rest.contains("**");
        int depth = (int) rest.chars().filter(c -> c == '/').count() + 1;
        return new Glob(text, base, Pattern.compile(toRegex(full)), recursive, depth);
    }

    private static String parentOf(String path) {
        Path parent = Paths.get(path).toAbsolutePath().getParent();
        return parent == null ? "/" : parent.toString();
    }

    private static int indexOfMeta(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return i;
            }
        }
        return -1;
    }

    static String toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        boolean inBraces = false;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                        re.append(slashAfter ? "(?:.*/)?" : ".*");
                        i += slashAfter ? 2 : 1;
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '{' -> {
                    inBraces = true;
                    re.append("(?:");
                }
                case '}' -> {
                    inBraces = false;
                    re.append(')');
                }
                case ',' -> re.append(inBraces ? "|" : ",");
                case '[' -> re.append('[');
                case ']' -> re.append(']');
                case '!' -> re.append(re.length() > 0 && re.charAt(re.length() - 1) == '[' ? "^" : "!");
                default -> {
                    if ("\\.^$+()|".indexOf(c) >= 0) {
                        re.append('\\');
                    }
                    re.append(c);
                }
            }
        }
        return re.toString();
    }
}
