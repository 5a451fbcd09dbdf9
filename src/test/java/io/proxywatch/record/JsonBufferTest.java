package io.proxywatch.record;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buffer's two short cuts against the long way round: latencies written without Double.toString, and shared
 * values written from their kept bytes. RecordJsonEquivalenceTest checks whole records against Jackson.
 */
class JsonBufferTest {

    @Test
    void thousandthsAreSpelledAsDoubleToStringSpellsThem() {
        JsonBuffer b = new JsonBuffer();
        // every latency up to 2 s in 0.001 ms steps, then a sample up to the short cut's limit and past it
        for (long m = 0; m < 2_000_000; m++) {
            assertSpelled(b, m / 1000.0);
        }
        Random rnd = new Random(7);
        for (int i = 0; i < 300_000; i++) {
            assertSpelled(b, (rnd.nextLong() >>> 1) % 1_000_002_000L / 1000.0);
        }
        double[] edges = {0.0, -0.0, 0.0009999, 0.001, 0.0015, 999_999.999, 1e6, 1e6 + 0.5, 1e7, 12.5, -12.5,
                0.1 + 0.2, 1.0 / 3, 10.840000000000002, 4503599627370497.0, Double.MIN_VALUE, 1e-7};
        for (double v : edges) {
            assertSpelled(b, v);
        }
    }

    private static void assertSpelled(JsonBuffer b, double v) {
        b.reset();
        b.number(v);
        String actual = new String(b.toByteArray(), StandardCharsets.US_ASCII);
        if (!actual.equals(Double.toString(v))) {
            assertThat(actual).as("latency %s", v).isEqualTo(Double.toString(v));
        }
    }

    @Test
    void sharedValuesAreWrittenAsStringsAre() {
        JsonBuffer shared = new JsonBuffer();
        JsonBuffer plain = new JsonBuffer();
        // "Aa" and "BB" share a hash, so they take turns in one slot; the copy of "Aa" is another instance
        String[] values = {"Aa", "BB", new String("Aa".toCharArray()), "curl/8.4.0", "a \"quoted\" \\ \u0001 é \ud83d\ude00",
                "x".repeat(300), "", "Aa", "BB", "x".repeat(300), "curl/8.4.0"};
        for (int round = 0; round < 3; round++) {
            for (String v : values) {
                shared.shared(v).raw(',');
                plain.string(v).raw(',');
            }
        }
        assertThat(new String(shared.toByteArray(), StandardCharsets.UTF_8))
                .isEqualTo(new String(plain.toByteArray(), StandardCharsets.UTF_8));
    }
}
