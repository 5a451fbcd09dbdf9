package io.proxywatch.stats;

/** Everything one second of traffic left behind, per series, plus its top keys once the second is over. */
final class SecondBucket {
    static final long UNUSED = Long.MIN_VALUE;

    /** The epoch second this bucket holds, or {@link #UNUSED}: a bucket whose second is not the one asked for is empty. */
    long second = UNUSED;
    private final SeriesCounts[] series;
    SecondKeys clientIps = SecondKeys.EMPTY;
    SecondKeys paths = SecondKeys.EMPTY;
    SecondKeys notFoundPaths = SecondKeys.EMPTY;

    SecondBucket(int seriesSlots) {
        this.series = new SeriesCounts[seriesSlots];
    }

    /** The counts of a series, created on its first request in any second this bucket held (then reused). */
    SeriesCounts series(int index) {
        SeriesCounts s = series[index];
        if (s == null) {
            s = new SeriesCounts();
            series[index] = s;
        }
        return s;
    }

    /** The counts of a series, or null when it had no request in this second. */
    SeriesCounts seriesOrNull(int index) {
        SeriesCounts s = series[index];
        return s == null || s.requests == 0 ? null : s;
    }

    long latencyBins() {
        long n = 0;
        for (SeriesCounts s : series) {
            n += s == null ? 0 : s.latency.bins();
        }
        return n;
    }

    void reset(long newSecond) {
        second = newSecond;
        for (SeriesCounts s : series) {
            if (s != null) {
                s.reset();
            }
        }
        clientIps = SecondKeys.EMPTY;
        paths = SecondKeys.EMPTY;
        notFoundPaths = SecondKeys.EMPTY;
    }
}
