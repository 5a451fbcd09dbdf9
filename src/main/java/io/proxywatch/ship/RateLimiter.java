package io.proxywatch.ship;

import org.apache.camel.Body;

/**
 * An optional token bucket on what is sent, in records/s and bytes/s (0 = no limit); the bucket holds one
 * second's worth, so short bursts pass. Blocks the sending thread, which backs up to the tailer.
 */
public final class RateLimiter {
    /** Elapsed time and sleeping, injected so tests need not wait. */
    public interface Ticker {
        long nanos();

        void sleepNanos(long nanos) throws InterruptedException;
    }

    public static final Ticker SYSTEM = new Ticker() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    };

    private final Bucket records;
    private final Bucket bytes;

    public RateLimiter(long recordsPerSec, long bytesPerSec, Ticker ticker) {
        this.records = recordsPerSec > 0 ? new Bucket(recordsPerSec, ticker) : null;
        this.bytes = bytesPerSec > 0 ? new Bucket(bytesPerSec, ticker) : null;
    }

    public boolean isOn() {
        return records != null || bytes != null;
    }

    public void acquire(@Body Batch batch) throws InterruptedException {
        if (records != null) {
            records.take(batch.size());
        }
        if (bytes != null) {
            bytes.take(batch.bytes());
        }
    }

    private static final class Bucket {
        private final double perNano;
        private final double capacity;
        private final Ticker ticker;
        private double tokens;
        private long last;

        Bucket(long perSecond, Ticker ticker) {
            this.perNano = perSecond / 1e9;
            this.capacity = perSecond;
            this.ticker = ticker;
            this.tokens = perSecond;
            this.last = ticker.nanos();
        }

        synchronized void take(long n) throws InterruptedException {
            refill();
            tokens -= n; // may go negative for a batch above one second's worth: it then waits it off
            if (tokens < 0) {
                ticker.sleepNanos((long) (-tokens / perNano));
                refill();
            }
        }

        private void refill() {
            long now = ticker.nanos();
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
        }
    }
}
