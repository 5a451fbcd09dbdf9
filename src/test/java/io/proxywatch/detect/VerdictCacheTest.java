package io.proxywatch.detect;

import io.proxywatch.record.TextHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The verdict cache gives back exactly what was put, for the values it keeps, and misses everything else. */
class VerdictCacheTest {
    private final VerdictCache cache = new VerdictCache(VerdictCache.SLOTS);

    /** What {@link #get} gives for a value the cache does not hold. */
    private static final int MISS = Integer.MIN_VALUE;

    private void put(String v, int best) {
        put(cache, v, v.hashCode(), best);
    }

    private int get(String v) {
        return get(cache, v, v.hashCode());
    }

    private static void put(VerdictCache c, String v, int hash, int best) {
        c.put(hash, new VerdictCache.Verdict(v, best, null));
    }

    private static int get(VerdictCache c, String v, int hash) {
        VerdictCache.Verdict e = c.get(v, hash);
        return e == null ? MISS : e.best();
    }

    @Test
    void aValueItKeepsGivesItsVerdictAndAnEqualStringHitsToo() {
        put("/wp-login.php", 7);
        put("Mozilla/5.0 (X11; Linux x86_64)", -1);
        assertThat(get(new String("/wp-login.php"))).isEqualTo(7);
        assertThat(get("Mozilla/5.0 (X11; Linux x86_64)")).isEqualTo(-1);
        assertThat(get("/wp-login.php5")).isEqualTo(MISS);
    }

    @Test
    void valuesThatShareAHashAreToldApartByTheirText() {
        // given the same hash: the same slot pair
        put("/a/x", 1);
        assertThat(get(cache, "/b/x", "/a/x".hashCode())).isEqualTo(MISS);
        put(cache, "/b/x", "/a/x".hashCode(), 2);
        assertThat(get(cache, "/a/x", "/a/x".hashCode())).isEqualTo(1); // both ways of the pair
        assertThat(get(cache, "/b/x", "/a/x".hashCode())).isEqualTo(2);
    }

    @Test
    void longValuesAreNotKept() {
        String kept = "/" + "a".repeat(511);
        String tooLong = "/" + "a".repeat(512);
        put(kept, 3);
        put(tooLong, 4);
        assertThat(get(kept)).isEqualTo(3);
        assertThat(get(tooLong)).isEqualTo(MISS);
    }

    @Test
    void aThousandRecentValuesAreMostlyStillThere() {
        // the size the real log needs (BENCHMARKS.md, session 18): 256 slots kept under a quarter of these
        for (int i = 0; i < 1000; i++) {
            put("/page/" + i + ".html", i);
        }
        int hits = 0;
        for (int i = 0; i < 1000; i++) {
            int v = get("/page/" + i + ".html");
            if (v != MISS) {
                assertThat(v).isEqualTo(i);
                hits++;
            }
        }
        assertThat(hits).isGreaterThan(600);
    }

    @Test
    void thePathsCacheKeepsAsManyPathsAsTheRealLogHasOnceWarm() {
        // the corpus's real access log has 1,368 distinct paths in 10,000 lines: at 1,024 slots they kept evicting
        // each other on every pass, at 4,096 nearly all of them stay. Keyed as the detector keys paths: by the
        // record's TextHash
        VerdictCache paths = new VerdictCache(VerdictCache.PATH_SLOTS);
        for (int i = 0; i < 1368; i++) {
            String p = "/blog/" + i + "/post.html";
            put(paths, p, (int) TextHash.of(p), i);
        }
        int hits = 0;
        for (int i = 0; i < 1368; i++) {
            String p = "/blog/" + i + "/post.html";
            hits += get(paths, p, (int) TextHash.of(p)) == i ? 1 : 0;
        }
        assertThat(hits).isGreaterThan(1250);
    }

    @Test
    void overALargeHeapEachCacheHasFourTimesTheSlots() {
        long mib = 1L << 20;
        assertThat(VerdictCache.forField(false, 64 * mib).capacity()).isEqualTo(VerdictCache.SLOTS);
        assertThat(VerdictCache.forField(true, 64 * mib).capacity()).isEqualTo(VerdictCache.PATH_SLOTS);
        assertThat(VerdictCache.forField(false, 128 * mib).capacity()).isEqualTo(VerdictCache.SLOTS);
        // -Xmx256m as G1 reports it, and as the serial collector does (a survivor space short)
        assertThat(VerdictCache.forField(false, 256 * mib).capacity()).isEqualTo(4 * VerdictCache.SLOTS);
        assertThat(VerdictCache.forField(false, 256 * mib - 8_912_896).capacity()).isEqualTo(4 * VerdictCache.SLOTS);
        assertThat(VerdictCache.forField(true, 4096 * mib).capacity()).isEqualTo(4 * VerdictCache.PATH_SLOTS);
    }

    @Test
    void aLargeHeapsCacheKeepsAsManyReferersAsTheRealLogHasOnceWarm() {
        // the real log has 627 distinct referers in 10,000 lines: at 1,024 slots some always share a slot pair with
        // two others and evict each other on every pass; at four times that nearly none do
        VerdictCache small = VerdictCache.forField(false, 64L << 20);
        VerdictCache large = VerdictCache.forField(false, 1L << 30);
        int[] hits = new int[2];
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < 627; i++) {
                String referer = "https://www.example.com/search?q=term+" + i + "&source=web";
                for (int c = 0; c < 2; c++) {
                    VerdictCache cache = c == 0 ? small : large;
                    if (get(cache, referer, referer.hashCode()) == MISS) {
                        put(cache, referer, referer.hashCode(), -1);
                    } else if (pass == 1) {
                        hits[c]++;
                    }
                }
            }
        }
        assertThat(hits[1]).isGreaterThanOrEqualTo(621).isGreaterThan(hits[0]);
    }

    @Test
    void aSizeThatIsNotAPowerOfTwoIsRefused() {
        assertThatThrownBy(() -> new VerdictCache(1000)).isInstanceOf(IllegalArgumentException.class);
    }
}
