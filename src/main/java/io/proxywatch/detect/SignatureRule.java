package io.proxywatch.detect;

import io.proxywatch.rules.RulesError;
import io.proxywatch.rules.RulesYaml;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One entry of the rules file's {@code signatures:} list: a regular expression looked for in some fields of an
 * access record, after {@link Normalizer} has decoded and lower-cased them.
 *
 * @param id       unique name, reported in the finding
 * @param category sqli, xss, cmd_injection, path_traversal, sensitive_path or scanner
 * @param severity critical, high, warning or info
 * @param targets  the fields searched
 * @param pattern  searched for (find, not match) in each target's normalised text
 */
public record SignatureRule(String id, String category, String severity, Set<Target> targets, Pattern pattern) {

    /** The fields of an access record a signature can look at, named as in the rules file's {@code in:}. */
    public enum Target {
        PATH("path"), QUERY("query"), USER_AGENT("user_agent"), REFERER("referer");

        private final String yamlName;

        Target(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }

        static Target byName(String name, String where) {
            for (Target t : values()) {
                if (t.yamlName.equals(name)) {
                    return t;
                }
            }
            throw new RulesError(where, "unknown field '" + name + "'; one of path, query, user_agent, referer");
        }
    }

    public static final Set<String> CATEGORIES =
            Set.of("sqli", "xss", "cmd_injection", "path_traversal", "sensitive_path", "scanner");

    private static final Set<String> KEYS = Set.of("id", "category", "in", "pattern", "severity");

    public SignatureRule {
        targets = Set.copyOf(targets);
    }

    /**
     * Whether the rule is also run over the shell's reading of a value ({@link ShellView}), where a line break
     * separates commands and quotes inside a word are gone. Only the command-injection rules: a shell is what they
     * are about, and to the others a line break is a space.
     */
    public boolean readsShellView() {
        return category.equals("cmd_injection");
    }

    /**
     * Whether the rule also reads the value with its SQL comments left in: every rule but the SQL ones. To SQL a
     * comment is a blank ({@code union/**}{@code /select}), but to a browser or a file system it is text, and
     * folding it away hid what is inside ({@code x/*<script>alert(1)</script>*}{@code /}).
     */
    public boolean readsCommentsAsText() {
        return !category.equals("sqli");
    }

    /**
     * Reads the {@code signatures:} section.
     *
     * @param section           the section's list (null or empty: no signatures)
     * @param defaultSeverities the {@code severities:} section: a rule without its own severity takes its
     *                          category's (high for the attack families, warning for probes and scanners if absent)
     * @param where             the section's place for error messages, e.g. {@code signatures}
     * @throws RulesError naming the entry and key that is wrong
     */
    public static List<SignatureRule> fromYaml(List<?> section, Map<String, String> defaultSeverities, String where) {
        List<SignatureRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<?> entries = section == null ? List.of() : section;
        for (int i = 0; i < entries.size(); i++) {
            String at = where + "[" + i + "]";
            SignatureRule rule = one(RulesYaml.map(entries.get(i), at), defaultSeverities, at);
            if (!ids.add(rule.id())) {
                throw new RulesError(at + ".id", "'" + rule.id() + "' is used by an earlier signature; ids must be unique");
            }
            rules.add(rule);
        }
        return List.copyOf(rules);
    }

    private static SignatureRule one(Map<String, Object> m, Map<String, String> defaults, String at) {
        RulesYaml.onlyKeys(m, KEYS, at);
        String id = RulesYaml.string(m, "id", at).trim();
        if (id.isEmpty()) {
            throw new RulesError(at + ".id", "empty");
        }
        String category = RulesYaml.string(m, "category", at).trim();
        if (!CATEGORIES.contains(category)) {
            throw new RulesError(at + ".category", "unknown category '" + category + "'; one of "
                    + String.join(", ", CATEGORIES.stream().sorted().toList()));
        }
        Set<Target> targets = targets(m.get("in"), at + ".in");
        String severity = m.get("severity") == null
                ? defaultSeverity(category, defaults)
                : RulesYaml.severity(RulesYaml.string(m, "severity", at), at + ".severity");
        Pattern pattern = compile(RulesYaml.string(m, "pattern", at), at + ".pattern");
        return new SignatureRule(id, category, severity, targets, pattern);
    }

    /** The fields named by an {@code in:} key: a list, or one name on its own. */
    static Set<Target> targets(Object node, String where) {
        if (node == null) {
            throw new RulesError(where, "missing; list the fields to search: path, query, user_agent, referer");
        }
        List<String> names = RulesYaml.names(node, where, "field name (path, query, user_agent or referer)");
        Set<Target> out = EnumSet.noneOf(Target.class);
        for (int i = 0; i < names.size(); i++) {
            out.add(Target.byName(names.get(i).toLowerCase(Locale.ROOT), RulesYaml.item(node, where, i)));
        }
        return out;
    }

    private static String defaultSeverity(String category, Map<String, String> defaults) {
        String s = defaults == null ? null : defaults.get(category);
        if (s != null) {
            return s;
        }
        return category.equals("sensitive_path") || category.equals("scanner") ? "warning" : "high";
    }

    /**
     * Compiles as written. The text searched is lower-cased, so an upper-case letter in the pattern could never
     * match: that is refused here rather than left to fail silently.
     */
    static Pattern compile(String regex, String where) {
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new RulesError(where, e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "")
                    + " in " + regex);
        }
        int upper = upperCaseLiteral(regex);
        if (upper >= 0) {
            throw new RulesError(where, "upper-case '" + regex.charAt(upper) + "' at index " + upper
                    + ": signatures see lower-cased text, write the pattern in lower case");
        }
        return p;
    }

    /** Index of an upper-case letter that is a literal (not part of an escape like \S or \p{Alpha}), or -1. */
    private static int upperCaseLiteral(String regex) {
        int n = regex.length();
        for (int i = 0; i < n; i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < n) {
                char e = regex.charAt(i + 1);
                if ((e == 'p' || e == 'P') && i + 2 < n && regex.charAt(i + 2) == '{') {
                    int close = regex.indexOf('}', i);
                    i = close < 0 ? n : close;
                } else if (e == 'Q') {
                    int close = regex.indexOf("\\E", i + 2);
                    i = close < 0 ? n : close + 1;
                } else if (e == 'x' || e == 'u') {
                    i += e == 'u' ? 5 : 3;
                } else if (e == 'k' && i + 2 < n && regex.charAt(i + 2) == '<') {
                    int close = regex.indexOf('>', i);
                    i = close < 0 ? n : close;
                } else {
                    i++;
                }
            } else if (c == '(' && regex.startsWith("(?<", i) && i + 3 < n && Character.isLetter(regex.charAt(i + 3))) {
                int close = regex.indexOf('>', i);
                i = close < 0 ? n : close; // a group name may be in any case
            } else if (c >= 'A' && c <= 'Z') {
                return i;
            }
        }
        return -1;
    }
}
