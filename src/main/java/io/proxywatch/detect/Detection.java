package io.proxywatch.detect;

import io.proxywatch.alert.AlertEvent;
import io.proxywatch.record.LogRecord;
import io.proxywatch.rules.Rules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every access record of a chunk through the signature and rate detectors under the rules in force: a finding
 * becomes the record's {@code threat} (the most severe one when both fire) and part of the chunk's alert events.
 * Allow-listed clients are not checked; a signature finding the rules file's exceptions drop is never made, so it is
 * neither a threat, an event nor a count. Runs before any stage renders the records' JSON, so the tag ships.
 */
public final class Detection {
    private static final Logger LOG = LoggerFactory.getLogger(Detection.class);
    /** At most one warning a minute about records that could not be checked; the count rides on the next one. */
    private static final long WARN_EVERY_MS = 60_000;

    private final Supplier<Rules> rules;
    private final RateDetector rate;
    private final Clock clock;
    private final CategoryCounts findings;
    private final Object compiling = new Object();
    private volatile Compiled compiled;
    private int builds; // guarded by compiling
    private volatile long unchecked; // written under rate.lock(), read by /metrics without it
    private long uncheckedWarned; // this and lastWarnMs: under rate.lock()
    private long lastWarnMs = Long.MIN_VALUE;

    /** The signature detector built for one set of rules. */
    private record Compiled(Rules rules, SignatureDetector detector) {
    }

    public Detection(Supplier<Rules> rules, RateDetector rate, Clock clock) {
        this(rules, rate, clock, new CategoryCounts());
    }

    /** With the totals of a run before this one (a reload). */
    public Detection(Supplier<Rules> rules, RateDetector rate, Clock clock, CategoryCounts findings) {
        this.rules = rules;
        this.rate = rate;
        this.clock = clock;
        this.findings = findings;
    }

    /** Tags the chunk's records in place and returns its alert events (empty when nothing was found). */
    public List<AlertEvent> check(List<LogRecord> records) {
        Rules r = rules.get();
        SignatureDetector sigs = signatures(r);
        ChunkEvents events = new ChunkEvents();
        long now = clock.millis();
        synchronized (rate.lock()) {
            // read again under the lock, which the sweep holds too: the rate windows then see the rules' versions
            // in the order they were published. Read before it, a sweep with a newer file could forget a removed
            // rule, and this chunk count under it a burst no sweep would ever resolve
            RateRule.Section section = rules.get().rate();
            rate.warm(records, section);
            for (LogRecord rec : records) {
                if (rec.isRequest() && !r.allow().allows(rec.getClientIp())) {
                    checkOrPass(rec, rec.getTimestamp() == null ? now : rec.getTimestamp().toEpochMilli(), section,
                            sigs, events, now);
                }
            }
            rate.endChunk();
        }
        return events.isEmpty() ? List.of() : events.events();
    }

    /**
     * Checks one record; a detector that fails on it is passed over, with a warning, and the other's finding
     * stands (a signature found before the rate windows failed was lost with them). Its line comes from the
     * request, and a chunk that throws is read again from the same offset: a line that made a detector throw (or,
     * before {@link RegexWindows}, overflow the stack) would stop the tailer on it for good.
     */
    private void checkOrPass(LogRecord rec, long t, RateRule.Section section, SignatureDetector sigs,
                             ChunkEvents events, long now) {
        Finding sig = null;
        boolean failed = false;
        try {
            sig = sigs.check(rec);
        } catch (RuntimeException | StackOverflowError e) {
            failed = true;
            passOver(rec, e, now, !rec.isReplayed()); // a line read again was counted the first time
        }
        if (rec.isReplayed()) {
            // read again after a chunk failed downstream: its request was counted and its finding told the first
            // time (a disk-full loop reading a chunk again and again made every client in it a burst). Its
            // signature is tagged again; a rate tag it had is not known any more
            rec.setThreat(sig);
            return;
        }
        Finding burst = null;
        try {
            burst = rate.observe(rec, t, section, events);
        } catch (RuntimeException | StackOverflowError e) {
            passOver(rec, e, now, !failed);
        }
        tag(rec, t, sig, burst, events);
    }

    /** A detector failed on {@code rec}: counted when {@code count}, and a warning at most once a minute. */
    private void passOver(LogRecord rec, Throwable e, long now, boolean count) {
        if (count) {
            unchecked++;
        }
        if (lastWarnMs == Long.MIN_VALUE || now - lastWarnMs >= WARN_EVERY_MS) {
            // the line itself is not logged: it is the request's, and may carry credentials
            LOG.warn("detection failed on a {}-character line from {} at offset {} ({}); the record goes on "
                            + "without that detector ({} such records so far, {} since the last warning)",
                    rec.getRaw() == null ? 0 : rec.getRaw().length(), rec.getSourceFile(),
                    rec.getSourceOffset(), e.getClass().getSimpleName(), unchecked, unchecked - uncheckedWarned);
            lastWarnMs = now;
            uncheckedWarned = unchecked;
        }
    }

    /** Access records a detector failed on and passed on without it, since start. */
    public long uncheckedRecords() {
        return unchecked;
    }

    /** The record's threat (the more severe finding) and the signature's event. */
    private void tag(LogRecord rec, long t, Finding sig, Finding burst, ChunkEvents events) {
        if (sig != null) {
            String key = rec.getClientIp() == null ? "unknown" : rec.getClientIp();
            events.add(sig, key, t, rec.getRaw(), () -> sig.category() + " from " + key + " in "
                    + rec.getMethod() + " " + rec.getPath());
        }
        Finding worst = burst != null && burst.moreSevereThan(sig) ? burst : sig; // a tie: the signature's
        if (worst != null) {
            rec.setThreat(worst);
            findings.increment(worst.category());
        }
    }

    /** Resolved events for rate bursts that have gone quiet; polled by a timer route. */
    public List<AlertEvent> sweep() {
        synchronized (rate.lock()) { // the rules read under the lock, as check reads them
            return rate.sweep(rules.get().rate());
        }
    }

    /** Records tagged so far, by category: the source of proxywatch_detections_total{category}. */
    public Map<String, Long> findingsByCategory() {
        return findings.snapshot();
    }

    /**
     * Builds the signature detector for the rules in force, if not built yet. Building it (literals of 55
     * patterns, one automaton) takes ~0.3 s on a JVM that has just started: start-up calls this on a thread of its
     * own so that the first chunk does not wait for it; a chunk that comes first waits for that one build.
     */
    public void prepare() {
        signatures(rules.get());
    }

    /** The detector in use (for tests): null before the first chunk or {@link #prepare()}. */
    SignatureDetector signaturesInUse() {
        Compiled c = compiled;
        return c == null ? null : c.detector();
    }

    /** How many times a signature detector was built (for tests). */
    int builds() {
        synchronized (compiling) {
            return builds;
        }
    }

    private SignatureDetector signatures(Rules r) {
        Compiled c = compiled;
        if (c != null && c.rules() == r) {
            return c.detector();
        }
        synchronized (compiling) {
            c = compiled;
            if (c == null || c.rules() != r) {
                c = new Compiled(r, new SignatureDetector(r.signatures(), r.exemptions()));
                compiled = c;
                builds++;
            }
            return c.detector();
        }
    }
}
