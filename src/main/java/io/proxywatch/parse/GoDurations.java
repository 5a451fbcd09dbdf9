package io.proxywatch.parse;

/** Go's time.Duration.String() form ("12.5ms", "1m2.5s", "850µs") read back as milliseconds. */
final class GoDurations {
    private GoDurations() {
    }

    /** Milliseconds, or NaN when the text is not a Go duration. */
    static double toMillis(String s) {
        if (s == null) {
            return Double.NaN;
        }
        int n = s.length();
        int i = 0;
        boolean negative = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (i == n) {
            return Double.NaN;
        }
        if (n - i == 1 && s.charAt(i) == '0') {
            return 0;
        }
        double total = 0;
        while (i < n) {
            int start = i;
            while (i < n && (Timestamps.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (i == start) {
                return Double.NaN;
            }
            double value;
            try {
                value = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
            int unitStart = i;
            while (i < n && !Timestamps.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            double unit = unitMillis(s, unitStart, i);
            if (Double.isNaN(unit)) {
                return Double.NaN;
            }
            total += value * unit;
        }
        return negative ? -total : total;
    }

    private static double unitMillis(String s, int from, int to) {
        int len = to - from;
        if (len == 1) {
            switch (s.charAt(from)) {
                case 's': return 1_000d;
                case 'm': return 60_000d;
                case 'h': return 3_600_000d;
                default: return Double.NaN;
            }
        }
        if (len == 2 && s.charAt(from + 1) == 's') {
            switch (s.charAt(from)) {
                case 'n': return 1e-6;
                case 'u': case '\u00b5': case '\u03bc': return 1e-3;
                case 'm': return 1d;
                default: return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
