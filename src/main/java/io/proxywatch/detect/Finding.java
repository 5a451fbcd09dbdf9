package io.proxywatch.detect;

/**
 * What a detector concluded about one record: written into the record's JSON as
 * {@code "threat": {"rule", "category", "severity"}}.
 *
 * @param rule     the rule id from the rules file
 * @param category sqli, xss, cmd_injection, path_traversal, sensitive_path, scanner or rate
 * @param severity critical, high, warning or info
 */
public record Finding(String rule, String category, String severity) {
    /** critical 0, high 1, warning 2, info 3: the lower, the more severe. */
    public static int rank(String severity) {
        return switch (severity) {
            case "critical" -> 0;
            case "high" -> 1;
            case "warning" -> 2;
            default -> 3;
        };
    }

    /** Whether this is more severe than {@code other}; anything is more than none (null). */
    public boolean moreSevereThan(Finding other) {
        return other == null || rank(severity) < rank(other.severity);
    }
}
