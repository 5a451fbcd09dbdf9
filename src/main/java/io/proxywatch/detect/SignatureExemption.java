package io.proxywatch.detect;

import io.proxywatch.detect.SignatureRule.Target;
import io.proxywatch.rules.RulesError;
import io.proxywatch.rules.RulesYaml;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of the rules file's {@code exceptions:} list: signature findings the operator knows to be false positives
 * where they happen (a PromQL {@code sum(...)} on {@code /api/v1/query}), dropped there instead of switching the rule
 * off everywhere; fail2ban's ignoreregex, scoped to rules. Called an exemption in the code, where an exception is
 * something thrown.
 *
 * <p>A finding is dropped when its rule is named (by id or by category), it was made in one of {@code fields}, and
 * the record's path and service match. Rate findings are never dropped: a client the rate rules should not count
 * belongs in {@code allow:}.
 *
 * @param rules      ids of the signatures whose findings are dropped
 * @param categories categories whose signatures' findings are dropped, as well as {@code rules}'
 * @param path       matched against the whole request path, normalised as the path signatures see it (decoded, lower
 *                   case, {@code //} and {@code /./} as {@code /}); null: any path
 * @param service    the record's service, exactly; null: any service
 * @param fields     the fields whose findings are dropped
 */
public record SignatureExemption(List<String> rules, List<String> categories, Pattern path, String service,
                                 Set<Target> fields) {
    private static final Set<String> KEYS = Set.of("rules", "categories", "path", "service", "in");

    public SignatureExemption {
        rules = List.copyOf(rules);
        categories = List.copyOf(categories);
        fields = Set.copyOf(fields);
    }

    /** Whether this entry drops {@code rule}'s findings (where it applies). */
    public boolean names(SignatureRule rule) {
        return rules.contains(rule.id()) || categories.contains(rule.category());
    }

    /**
     * Reads the {@code exceptions:} section. Every entry must be able to drop something: a rule id or category the
     * file does not have, or fields none of the named rules looks at, is a mistake and refused, not ignored.
     *
     * @param section     the section's list (null or empty: no exceptions)
     * @param signatures  the file's signatures, which the entries name
     * @param rateRuleIds the file's rate rules, named only to say they cannot be excepted
     * @param where       the section's place for error messages, e.g. {@code rules.yaml: exceptions}
     * @throws RulesError naming the entry and key that is wrong
     */
    public static List<SignatureExemption> fromYaml(List<?> section, List<SignatureRule> signatures,
                                                    Set<String> rateRuleIds, String where) {
        List<SignatureExemption> out = new ArrayList<>();
        List<?> entries = section == null ? List.of() : section;
        for (int i = 0; i < entries.size(); i++) {
            String at = where + "[" + i + "]";
            out.add(one(RulesYaml.map(entries.get(i), at), signatures, rateRuleIds, at));
        }
        return List.copyOf(out);
    }

    private static SignatureExemption one(Map<String, Object> m, List<SignatureRule> signatures,
                                          Set<String> rateRuleIds, String at) {
        if (m.isEmpty()) {
            throw new RulesError(at, "empty; an exception names rules: or categories:, and path: or service:");
        }
        RulesYaml.onlyKeys(m, KEYS, at);
        if (m.get("rules") == null && m.get("categories") == null) {
            throw new RulesError(at + ".rules", "missing; name the findings to drop with rules:, categories: or both");
        }
        List<String> rules = names(m.get("rules"), at + ".rules");
        for (int i = 0; i < rules.size(); i++) {
            String id = rules.get(i);
            if (signatures.stream().noneMatch(s -> s.id().equals(id))) {
                throw new RulesError(at + ".rules[" + i + "]", rateRuleIds.contains(id)
                        ? "'" + id + "' is a rate rule; exceptions drop signature findings only (keep a client out "
                                + "of the rate rules with allow:)"
                        : "no signature has the id '" + id + "'");
            }
        }
        List<String> categories = names(m.get("categories"), at + ".categories");
        for (int i = 0; i < categories.size(); i++) {
            String c = categories.get(i);
            String place = at + ".categories[" + i + "]";
            if (c.equals("rate")) {
                throw new RulesError(place, "exceptions drop signature findings only (keep a client out of the "
                        + "rate rules with allow:)");
            }
            if (!SignatureRule.CATEGORIES.contains(c)) {
                throw new RulesError(place, "unknown category '" + c + "'; one of "
                        + String.join(", ", SignatureRule.CATEGORIES.stream().sorted().toList()));
            }
            if (signatures.stream().noneMatch(s -> s.category().equals(c))) {
                throw new RulesError(place, "no signature has the category '" + c + "'");
            }
        }
        String service = m.get("service") == null ? null : nonEmpty(RulesYaml.string(m, "service", at), at + ".service");
        if (m.get("path") == null && service == null) {
            throw new RulesError(at + ".path", "missing; say where the findings are false positives with path: "
                    + "(a regex for the whole path), service: or both");
        }
        Pattern path = m.get("path") == null ? null
                : SignatureRule.compile(nonEmpty(RulesYaml.string(m, "path", at), at + ".path"), at + ".path");
        Set<Target> fields = m.get("in") == null ? EnumSet.allOf(Target.class) : SignatureRule.targets(m.get("in"), at + ".in");
        SignatureExemption e = new SignatureExemption(rules, categories, path, service, fields);
        if (signatures.stream().noneMatch(s -> e.names(s) && s.targets().stream().anyMatch(fields::contains))) {
            throw new RulesError(at + ".in", "none of the rules named looks at "
                    + String.join(", ", fields.stream().sorted().map(Target::yamlName).toList()));
        }
        return e;
    }

    /** A list of names, or one name on its own; null is none. */
    private static List<String> names(Object node, String where) {
        return node == null ? List.of() : RulesYaml.names(node, where, "name");
    }

    private static String nonEmpty(String text, String where) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new RulesError(where, "empty");
        }
        return t;
    }
}
