package io.proxywatch.testkit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, so idle timeouts and grace periods pass without sleeping. */
public final class MutableClock extends Clock {
    private long millis = 1_700_000_000_000L;

    public void advance(long ms) {
        millis += ms;
    }

    public void set(long epochMillis) {
        millis = epochMillis;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }
}
