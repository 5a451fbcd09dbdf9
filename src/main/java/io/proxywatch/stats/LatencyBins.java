package io.proxywatch.stats;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * One second's latency histogram once that second is over: only the bins that were hit, as (value, count) pairs.
 * A full histogram is about 24 KB whatever it holds; a second of one service's traffic usually hits a few dozen
 * bins, and the ring keeps hundreds of seconds for dozens of services, so this is what keeps the ring small.
 * Adding the pairs back into a histogram of the same shape puts every count in the bin it came from, so merged
 * percentiles are exactly those of one histogram fed every value.
 */
final class LatencyBins {
    /** Microseconds: proxies answer in well under a millisecond, and those requests should not all read as 0. */
    static final long LOWEST_US = 1;
    /** Ten minutes; a slower request (a long poll, a stuck upstream) is counted as taking ten minutes. */
    static final long HIGHEST_US = 600_000_000L;
    /** Two significant digits: values are within 1% of the truth, at half the memory of three. */
    static final int DIGITS = 2;

    static final LatencyBins EMPTY = new LatencyBins(new int[0], new int[0], 0);

    private final int[] values;
    private final int[] counts;
    private final long count;

    private LatencyBins(int[] values, int[] counts, long count) {
        this.values = values;
        this.counts = counts;
        this.count = count;
    }

    static Histogram newHistogram() {
        return new Histogram(LOWEST_US, HIGHEST_US, DIGITS);
    }

    /** The latency in microseconds, clamped to the trackable range, or -1 when it is missing (NaN) or nonsense. */
    static long micros(double ms) {
        if (!(ms >= 0)) { // negative or NaN
            return -1;
        }
        double us = ms * 1000.0;
        return us >= HIGHEST_US ? HIGHEST_US : Math.round(us);
    }

    static LatencyBins of(Histogram h) {
        long total = h.getTotalCount();
        if (total == 0) {
            return EMPTY;
        }
        int n = 0;
        for (HistogramIterationValue ignored : h.recordedValues()) {
            n++;
        }
        int[] values = new int[n];
        int[] counts = new int[n];
        int i = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            // the bin's highest equivalent value: recorded again, it lands in the same bin
            values[i] = (int) v.getValueIteratedTo();
            counts[i] = (int) Math.min(Integer.MAX_VALUE, v.getCountAtValueIteratedTo());
            i++;
        }
        return new LatencyBins(values, counts, total);
    }

    void addTo(Histogram target) {
        for (int i = 0; i < values.length; i++) {
            target.recordValueWithCount(values[i], counts[i]);
        }
    }

    long count() {
        return count;
    }

    /** Bins held, for the memory estimate in tests. */
    int bins() {
        return values.length;
    }
}
