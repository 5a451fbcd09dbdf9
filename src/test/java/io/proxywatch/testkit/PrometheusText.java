package io.proxywatch.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text exposition format (0.0.4, and OpenMetrics' {@code # EOF}), as a scraper
 * would read /metrics: every line is a {@code # HELP}, a {@code # TYPE}, or a sample {@code name{labels} value};
 * a sample must belong to a family whose TYPE came first; names, label syntax and escapes, and values are
 * checked. Anything else fails with the line's number, so a test proves the output parses, not just that a string
 * occurs in it.
 */
public final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final List<String> TYPES = List.of("counter", "gauge", "histogram", "summary", "untyped",
            "unknown", "info", "stateset", "gaugehistogram");
    private static final String[] SUFFIXES = {"_total", "_created", "_bucket", "_count", "_sum", "_info", "_gcount",
            "_gsum"};

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, String> help = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private PrometheusText() {
    }

    public static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        String[] lines = text.split("\n", -1);
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a newline");
        }
        boolean eof = false;
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            int n = i + 1;
            if (eof) {
                throw bad(n, line, "text after # EOF");
            }
            if (line.equals("# EOF")) {
                eof = true;
            } else if (line.startsWith("# HELP ")) {
                String[] parts = line.substring(7).split(" ", 2);
                requireName(n, line, parts[0]);
                p.help.put(parts[0], parts.length > 1 ? parts[1] : "");
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                if (parts.length != 2 || !TYPES.contains(parts[1])) {
                    throw bad(n, line, "TYPE needs a name and one of " + TYPES);
                }
                requireName(n, line, parts[0]);
                if (p.types.put(parts[0], parts[1]) != null) {
                    throw bad(n, line, "second TYPE for " + parts[0]);
                }
            } else if (line.startsWith("#") || line.isBlank()) {
                if (!line.startsWith("# UNIT ")) {
                    throw bad(n, line, "neither HELP, TYPE, UNIT nor a sample");
                }
            } else {
                Sample s = sample(n, line);
                if (p.family(s.name()) == null) {
                    throw bad(n, line, "sample before (or without) the TYPE of its family");
                }
                p.samples.add(s);
            }
        }
        return p;
    }

    /** The TYPE of the family a sample name belongs to, or null. */
    public String family(String sampleName) {
        if (types.containsKey(sampleName)) {
            return sampleName;
        }
        for (String suffix : SUFFIXES) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    public Map<String, String> types() {
        return types;
    }

    public Map<String, String> help() {
        return help;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Samples of this name whose labels include every given {@code name, value} pair. */
    public List<Sample> find(String name, String... labelPairs) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i + 1 < labelPairs.length; i += 2) {
                all &= labelPairs[i + 1].equals(s.labels().get(labelPairs[i]));
            }
            if (all) {
                out.add(s);
            }
        }
        return out;
    }

    /** The value of the one sample of this name with these labels; fails when there is none or more than one. */
    public double value(String name, String... labelPairs) {
        List<Sample> found = find(name, labelPairs);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples " + name + " " + List.of(labelPairs) + " in:\n"
                    + samples);
        }
        return found.get(0).value();
    }

    private static Sample sample(int n, String line) {
        Matcher m = NAME.matcher(line);
        if (!m.lookingAt()) {
            throw bad(n, line, "a sample must start with a metric name");
        }
        String name = m.group();
        int i = m.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                Matcher lm = LABEL_NAME.matcher(line).region(i, line.length());
                if (!lm.lookingAt()) {
                    throw bad(n, line, "bad label name at column " + i);
                }
                i = lm.end();
                if (!line.startsWith("=\"", i)) {
                    throw bad(n, line, "label " + lm.group() + " needs =\"value\"");
                }
                i += 2;
                StringBuilder v = new StringBuilder();
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i++);
                    if (c == '\\') {
                        char e = line.charAt(i++);
                        switch (e) {
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            case 'n' -> v.append('\n');
                            default -> throw bad(n, line, "bad escape \\" + e);
                        }
                    } else {
                        v.append(c);
                    }
                }
                i++;
                if (labels.put(lm.group(), v.toString()) != null) {
                    throw bad(n, line, "label " + lm.group() + " twice");
                }
                if (line.charAt(i) == ',') {
                    i++;
                } else if (line.charAt(i) != '}') {
                    throw bad(n, line, "expected , or } at column " + i);
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw bad(n, line, "a space must separate the series from its value");
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length > 2) {
            throw bad(n, line, "value and at most a timestamp after the series");
        }
        double value;
        try {
            value = switch (rest[0]) {
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(rest[0]);
            };
        } catch (NumberFormatException e) {
            throw bad(n, line, "value is not a number");
        }
        return new Sample(name, labels, value);
    }

    private static void requireName(int n, String line, String name) {
        if (!NAME.matcher(name).matches()) {
            throw bad(n, line, "bad metric name " + name);
        }
    }

    private static IllegalArgumentException bad(int n, String line, String why) {
        return new IllegalArgumentException("line " + n + ": " + why + ": " + line);
    }
}
