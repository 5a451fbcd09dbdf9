package io.proxywatch.stats;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class SeriesCountsTest {

    /** A flood of made-up statuses: the first MAX_CODES are counted by code, all of them in the totals. */
    @Test
    void aSecondCountsAtMostMaxCodesByCodeAndEveryRequestInTheTotals() {
        SeriesCounts c = new SeriesCounts();
        for (int status = 100; status < 600; status++) {
            c.count(status);
        }
        c.count(100);
        Map<Integer, Long> byCode = new TreeMap<>();
        c.addStatusesTo(byCode);
        assertThat(byCode).hasSize(SeriesCounts.MAX_CODES).containsEntry(100, 2L);
        assertThat(c.requests).isEqualTo(501);
        assertThat(c.status4xx).isEqualTo(100);
        assertThat(c.status5xx).isEqualTo(100);
    }

    @Test
    void aReusedSecondStartsFromNothing() {
        SeriesCounts c = new SeriesCounts();
        for (int status = 100; status < 600; status++) {
            c.count(status);
        }
        c.reset();
        c.count(200);
        c.count(200);
        Map<Integer, Long> byCode = new TreeMap<>();
        c.addStatusesTo(byCode);
        assertThat(byCode).containsExactly(Map.entry(200, 2L));
        assertThat(c.requests).isEqualTo(2);
    }
}
