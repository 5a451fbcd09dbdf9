package io.proxywatch.rules;

/**
 * A rules file that cannot be used, with the place in it that is wrong
 * ({@code rules.yaml: signatures[3].pattern: unclosed group near index 7}). At start-up it stops proxywatch;
 * on a live edit it is logged and the rules in force stay.
 */
public final class RulesError extends RuntimeException {
    public RulesError(String where, String problem) {
        super(where + ": " + problem);
    }
}
