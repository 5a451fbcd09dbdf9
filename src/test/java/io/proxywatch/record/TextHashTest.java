package io.proxywatch.record;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TextHashTest {
    @Test
    void everyIpv4AddressOfASlash12HashesApart() {
        // 1,048,576 addresses that differ in a digit or two: the keys the rate windows see under a spray
        Set<Long> seen = new HashSet<>();
        for (int b = 16; b < 32; b++) {
            for (int c = 0; c < 256; c++) {
                for (int d = 0; d < 256; d++) {
                    assertThat(seen.add(TextHash.of("172." + b + "." + c + "." + d))).isTrue();
                }
            }
        }
    }

    @Test
    void pathsThatDifferInOneCharOrInLengthHashApart() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            assertThat(seen.add(TextHash.of("/api/orders/" + i))).isTrue();
        }
        assertThat(TextHash.of("/a")).isNotEqualTo(TextHash.of("/a\u0000"));
        assertThat(TextHash.of("")).isNotEqualTo(TextHash.of("\u0000"));
    }

    @Test
    void lowBitsAreUsableAsATableIndex() {
        // the tables index by the low bits: near-identical keys must spread over them evenly
        int[] buckets = new int[256];
        for (int i = 0; i < 256_000; i++) {
            buckets[(int) TextHash.of("10.0." + (i >> 8) + "." + (i & 255)) & 255]++;
        }
        for (int n : buckets) {
            assertThat(n).isBetween(850, 1150);
        }
    }

    @Test
    void neverZeroAndCombineDependsOnOrder() {
        Random rnd = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long a = rnd.nextLong();
            long b = rnd.nextLong();
            assertThat(TextHash.combine(a, b)).isNotZero().isNotEqualTo(TextHash.combine(b, a));
        }
        assertThat(TextHash.of("x")).isNotZero();
    }

    @Test
    void theRecordForgetsItsHashesWhenItsFieldsChange() {
        LogRecord r = new LogRecord();
        assertThat(r.clientIpHash()).isZero();
        assertThat(r.pathHash()).isZero();
        r.setClientIp("203.0.113.9");
        r.setPath("/login");
        assertThat(r.clientIpHash()).isEqualTo(TextHash.of("203.0.113.9"));
        assertThat(r.pathHash()).isEqualTo(TextHash.of("/login"));
        r.setClientIp("203.0.113.10");
        r.setPath("/logout");
        assertThat(r.clientIpHash()).isEqualTo(TextHash.of("203.0.113.10"));
        assertThat(r.pathHash()).isEqualTo(TextHash.of("/logout"));
    }
}
