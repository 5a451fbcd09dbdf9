package io.proxywatch.rules;

import io.proxywatch.detect.AllowList;
import io.proxywatch.detect.RateRule;
import io.proxywatch.detect.SignatureExemption;
import io.proxywatch.detect.SignatureRule;
import io.proxywatch.stats.ThresholdRule;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One parsed, checked rules file: everything detection and the threshold rules read. Immutable, so the pipeline
 * swaps a whole new one in on a live edit and never sees half of one.
 *
 * @param exemptions the {@code exceptions:} section: signature findings dropped on the paths or services named
 */
public record Rules(Map<String, String> severities, AllowList allow, RateRule.Section rate,
                    List<SignatureRule> signatures, List<SignatureExemption> exemptions,
                    List<ThresholdRule> thresholds) {
    public static final List<String> CATEGORIES = List.of(
            "sqli", "xss", "cmd_injection", "path_traversal", "sensitive_path", "scanner", "rate");
    private static final Map<String, String> DEFAULT_SEVERITIES = Map.of(
            "sqli", "high", "xss", "high", "cmd_injection", "high", "path_traversal", "high", "rate", "high",
            "sensitive_path", "warning", "scanner", "warning");

    /** Parses the text of a rules file; {@code source} names it in errors. */
    public static Rules parse(String yaml, String source) {
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new RulesError(source, "not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (root == null) {
            // nothing but blanks and comments: an editor's half-saved file far more often than rules meant to be
            // none, and read as none it switched every signature and threshold off
            throw new RulesError(source, "is empty (no section at all); a file that means no rules says {}");
        }
        try {
            return of(root, source);
        } catch (RulesError e) {
            throw e;
        } catch (RuntimeException e) {
            // a shape no check foresaw: still a rejected edit naming the file, never an exception escaping the
            // reload (which re-threw it at every poll, the rules' file unnamed)
            throw new RulesError(source, "cannot be read as rules: " + e);
        }
    }

    /**
     * What the rules hold, as the start-up banner and a reload's log line say it: {@code 59 signatures, 1 exception,
     * 3 rate rules, 4 thresholds} (exceptions only when there are any).
     */
    public String summary() {
        int n = exemptions.size();
        return signatures.size() + " signatures, " + (n == 0 ? "" : n + (n == 1 ? " exception, " : " exceptions, "))
                + rate.rules().size() + " rate rules, " + thresholds.size() + " thresholds" + allowed();
    }

    /**
     * The allow-list, told at start and on each reload: the detectors leave its clients alone, and a proxy
     * behind a load balancer on the same host (every client 127.0.0.1) would otherwise be unchecked silently.
     */
    private String allowed() {
        List<String> entries = allow.entries();
        if (entries.isEmpty()) {
            return "";
        }
        String shown = String.join(", ", entries.subList(0, Math.min(5, entries.size())));
        String more = entries.size() > 5 ? " and " + (entries.size() - 5) + " more" : "";
        return "; not counted by the rate rules nor checked by signatures: " + shown + more;
    }

    private static Rules of(Object root, String source) {
        Map<String, Object> top = RulesYaml.map(root, source);
        RulesYaml.onlyKeys(top, Set.of("severities", "allow", "rate", "signatures", "exceptions", "thresholds"), source);

        Map<String, String> severities = new HashMap<>(DEFAULT_SEVERITIES);
        if (top.get("severities") != null) {
            Map<String, Object> given = RulesYaml.map(top.get("severities"), source + ": severities");
            RulesYaml.onlyKeys(given, Set.copyOf(CATEGORIES), source + ": severities");
            given.forEach((category, sev) -> severities.put(category,
                    RulesYaml.severity(String.valueOf(sev), source + ": severities." + category)));
        }
        List<String> allowEntries = RulesYaml.list(top.get("allow"), source + ": allow").stream()
                .map(String::valueOf).toList();
        AllowList allow = AllowList.parse(allowEntries, source + ": allow");
        RateRule.Section rate = RateRule.fromYaml(top.get("rate"), severities, source + ": rate");
        List<SignatureRule> signatures = SignatureRule.fromYaml(
                RulesYaml.list(top.get("signatures"), source + ": signatures"), severities, source + ": signatures");
        List<ThresholdRule> thresholds = ThresholdRule.fromYaml(
                RulesYaml.list(top.get("thresholds"), source + ": thresholds"), source + ": thresholds");
        Map<String, List<String>> ids = new LinkedHashMap<>();
        ids.put("signatures", signatures.stream().map(SignatureRule::id).toList());
        ids.put("rate.rules", rate.rules().stream().map(RateRule::id).toList());
        ids.put("thresholds", thresholds.stream().map(ThresholdRule::id).toList());
        idsOnce(source, ids);
        return new Rules(Map.copyOf(severities), allow, rate, signatures,
                SignatureExemption.fromYaml(RulesYaml.list(top.get("exceptions"), source + ": exceptions"),
                        signatures, Set.copyOf(ids.get("rate.rules")),
                        source + ": exceptions"),
                thresholds);
    }

    /**
     * Each id in one section only: an alert is a rule id and a key, so a rate rule named like a signature merged
     * their alerts (the burst's resolved event closed the signature's), and an exception naming the id was
     * ambiguous. Each section already refuses an id twice within itself.
     */
    private static void idsOnce(String source, Map<String, List<String>> idsBySection) {
        Map<String, String> sectionOf = new HashMap<>();
        idsBySection.forEach((section, ids) -> {
            for (int i = 0; i < ids.size(); i++) {
                String other = sectionOf.putIfAbsent(ids.get(i), section);
                if (other != null) {
                    throw new RulesError(source + ": " + section + "[" + i + "].id", "'" + ids.get(i)
                            + "' is also in " + other);
                }
            }
        });
    }
}
