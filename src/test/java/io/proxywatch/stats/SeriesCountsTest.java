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

    /** A service's codes past the cap still count in everything's totals, as they do in its own. */
    @Test
    void addingASeriesAddsItsTotalsNotJustTheCodesItCountedByCode() {
        SeriesCounts service = new SeriesCounts();
        for (int status = 100; status < 100 + SeriesCounts.MAX_CODES; status++) {
            service.count(status);
        }
        for (int i = 0; i < 50; i++) {
            service.count(503);
        }
        SeriesCounts all = new SeriesCounts();
        all.count(200);
        all.add(service);
        assertThat(all.requests).isEqualTo(1 + SeriesCounts.MAX_CODES + 50);
        assertThat(all.status5xx).isEqualTo(service.status5xx).isEqualTo(50);
        assertThat(all.status4xx).isEqualTo(service.status4xx);
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
