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
}
