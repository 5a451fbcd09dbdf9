package io.proxywatch.stats;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

/** Numbers and durations the way the rules file writes them, for alert summaries and errors: 0.083, 500, 1m30s. */
final class Numbers {
    private Numbers() {
    }

    /**
     * At most three decimals, no trailing zeros, no exponent; below 0.01, two significant digits, so that a small
     * threshold (0.0001) does not read as 0.
     */
    static String format(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        BigDecimal exact = BigDecimal.valueOf(v);
        BigDecimal d = (Math.abs(v) < 0.01 ? exact.round(new MathContext(2, RoundingMode.HALF_UP))
                : exact.setScale(3, RoundingMode.HALF_UP)).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long h = ms / 3_600_000;
        long m = ms / 60_000 % 60;
        long s = ms / 1000 % 60;
        long rest = ms % 1000;
        if (h > 0) {
            out.append(h).append('h');
        }
        if (m > 0) {
            out.append(m).append('m');
        }
        if (s > 0) {
            out.append(s).append('s');
        }
        if (rest > 0) {
            out.append(rest).append("ms");
        }
        return out.toString();
    }
}
