package io.proxywatch.ship;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {
    /** Time moves only when the limiter sleeps. */
    private static final class FakeTicker implements RateLimiter.Ticker {
        long now;
        long slept;

        @Override
        public long nanos() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
            slept += nanos;
        }
    }

    private static Batch batch(int records) {
        List<byte[]> rs = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            rs.add(new byte[99]);
        }
        return new Batch("b", rs, new ArrayList<>());
    }

    @Test
    void holdsTheRecordRateOverTime() throws InterruptedException {
        FakeTicker t = new FakeTicker();
        RateLimiter limiter = new RateLimiter(1000, 0, t);
        for (int i = 0; i < 10; i++) {
            limiter.acquire(batch(500));
        }
        // 5000 records at 1000/s with one second's burst: about 4 seconds of waiting
        assertThat(t.slept / 1e9).isBetween(3.9, 4.1);
    }

    @Test
    void holdsTheByteRate() throws InterruptedException {
        FakeTicker t = new FakeTicker();
        RateLimiter limiter = new RateLimiter(0, 10_000, t);
        for (int i = 0; i < 5; i++) {
            limiter.acquire(batch(100)); // 10,000 bytes each
        }
        assertThat(t.slept / 1e9).isBetween(3.9, 4.1);
    }

    @Test
    void offByDefault() throws InterruptedException {
        FakeTicker t = new FakeTicker();
        RateLimiter limiter = new RateLimiter(0, 0, t);
        limiter.acquire(batch(1_000_000));
        assertThat(limiter.isOn()).isFalse();
        assertThat(t.slept).isZero();
    }
}
