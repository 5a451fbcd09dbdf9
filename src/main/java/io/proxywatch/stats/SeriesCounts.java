package io.proxywatch.stats;

import java.util.Arrays;
import java.util.Map;

/**
 * What one second saw for one series (everything, or one service): requests, 4xx and 5xx, requests per status code
 * and, once the second is over, its latency bins. Reused when the ring comes round to its second again.
 */
final class SeriesCounts {
    long requests;
    long status4xx;
    long status5xx;
    /**
     * Distinct status codes a second counts by code for a series; further ones are in the totals only. A second
     * sees a handful; without a cap, made-up statuses (an upstream's, passed through) over 50 services kept ~100 MB
     * of code arrays in the ring for good, and each line scanned hundreds of codes.
     */
    static final int MAX_CODES = 32;
    private static final int INITIAL_CODES = 8;
    // status codes as two parallel arrays scanned in order: a second sees a handful of codes, and this allocates
    // nothing per request where a map of boxed counts would
    private int[] codes = new int[INITIAL_CODES];
    private long[] codeCounts = new long[INITIAL_CODES];
    private int codeCount;
    LatencyBins latency = LatencyBins.EMPTY;

    void count(int status) {
        count(status, 1);
    }

    /**
     * Adds another series' counts (a service's, into everything's). Latency bins are not part of it. The totals are
     * added as totals: the other's codes past {@link #MAX_CODES} are in its totals only.
     */
    void add(SeriesCounts other) {
        requests += other.requests;
        status4xx += other.status4xx;
        status5xx += other.status5xx;
        for (int i = 0; i < other.codeCount; i++) {
            byCode(other.codes[i], other.codeCounts[i]);
        }
    }

    private void count(int status, long n) {
        requests += n;
        if (status >= 500 && status < 600) {
            status5xx += n;
        } else if (status >= 400 && status < 500) {
            status4xx += n;
        }
        byCode(status, n);
    }

    private void byCode(int status, long n) {
        for (int i = 0; i < codeCount; i++) {
            if (codes[i] == status) {
                codeCounts[i] += n;
                return;
            }
        }
        if (codeCount == codes.length) {
            if (codeCount == MAX_CODES) {
                return;
            }
            codes = Arrays.copyOf(codes, codeCount * 2);
            codeCounts = Arrays.copyOf(codeCounts, codeCount * 2);
        }
        codes[codeCount] = status;
        codeCounts[codeCount++] = n;
    }

    void addStatusesTo(Map<Integer, Long> target) {
        for (int i = 0; i < codeCount; i++) {
            target.merge(codes[i], codeCounts[i], Long::sum);
        }
    }

    void reset() {
        requests = 0;
        status4xx = 0;
        status5xx = 0;
        codeCount = 0;
        if (codes.length == MAX_CODES) { // a flood of made-up codes does not keep the ring's seconds at the cap
            codes = new int[INITIAL_CODES];
            codeCounts = new long[INITIAL_CODES];
        }
        latency = LatencyBins.EMPTY;
    }
}
