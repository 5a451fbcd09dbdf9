package io.proxywatch.stats;

import io.proxywatch.alert.AlertEvent;
import io.proxywatch.alert.PlainText;
import io.proxywatch.record.LogRecord;
import io.proxywatch.record.TextHash;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sliding-window statistics over the access records passing through: a ring of one-second buckets, each holding
 * request and status counts, a latency histogram and the client IPs, paths and 404 paths seen, for everything and
 * for each service. Snapshots sum the buckets of a window.
 *
 * <p>Records are bucketed by the clock's current second (processing time), not by their own timestamps: this is a
 * live view of what passes now, a log replayed after a restart does not land in the past, and the buckets of a
 * window are always the last seconds of the clock. A window counts whole seconds only, the current unfinished one
 * excluded, so a rate over 10 s is over exactly 10 s (the view lags by under a second). In the first seconds after
 * start-up a window counts only the seconds since start, so qps is not diluted by seconds nobody watched.
 *
 * <p>Memory is bounded by {@link StatsLimits}: a service takes one of {@code maxServices} series, and gives it up
 * once no second in the ring holds a request of it (silent for the longest window), so services that come and go
 * (canaries, pods) do not use the series up for good; a service threshold rules name keeps its series, and takes
 * one before any traffic ({@link #keepSeriesFor}); services past {@code maxServices} at once are folded into
 * {@value #OTHER},
 * each kind of key is counted exactly up to {@code keysPerSecond} distinct keys a second, and a finished second keeps
 * only its {@code keysKeptPerSecond} heaviest keys and the latency bins it hit. So top lists are exact while no
 * second sees more distinct keys than that, and approximate beyond (flagged in the snapshot).
 *
 * <p>{@link #record} is called by one pipeline thread, once per chunk; snapshots come from other threads. One lock
 * guards everything, taken once per chunk and once per snapshot.
 */
public final class TrafficStats {
    /** The series the services past {@code maxServices} are counted under. */
    public static final String OTHER = "other";
    public static final int TOP = 10;
    private static final Logger LOG = LoggerFactory.getLogger(TrafficStats.class);
    private static final int ALL = 0;

    private final Clock clock;
    private final StatsLimits limits;
    private final int maxWindowSeconds;
    private final int otherIndex;
    private final SecondBucket[] ring;
    private final Map<String, Integer> serviceIndex = new HashMap<>();
    private final List<String> serviceNames = new ArrayList<>();
    private boolean otherUsed;
    private int foldWarnings; // for tests
    private Set<String> pinned = Set.of(); // services threshold rules name: never give up their series
    private boolean pinnedWaiting;         // one of them has no series yet
    private final long[] lastCounted; // by series: the newest second that counted a request of it
    private long noFreeSeriesBefore = Long.MIN_VALUE; // no service's series can be given up before this second
    private String lastService;
    private int lastServiceIndex;

    // the second being recorded keeps full histograms and exact key tables; they are condensed into its bucket
    // when the clock moves on, and reused for the next second
    private final Histogram[] liveLatency;
    private final KeyCounter clientIps;
    private final KeyCounter paths;
    private final KeyCounter notFoundPaths;
    private final Histogram merged = LatencyBins.newHistogram();

    private final long startSecond;
    private long openSecond;
    private long steppedBack; // seconds the clock has stepped back since start, added to its time
    private volatile long newestRecordMs = Long.MIN_VALUE; // the last timestamped record of the last chunk

    public TrafficStats(Clock clock) {
        this(clock, StatsLimits.defaults());
    }

    public TrafficStats(Clock clock, StatsLimits limits) {
        this.clock = clock;
        this.limits = limits;
        this.maxWindowSeconds = (int) Math.min(Integer.MAX_VALUE - 1, limits.maxWindow().toSeconds());
        int seriesSlots = limits.maxServices() + 2; // all, the services, other
        this.otherIndex = seriesSlots - 1;
        this.ring = new SecondBucket[maxWindowSeconds + 1]; // the window's seconds and the one being recorded
        for (int i = 0; i < ring.length; i++) {
            ring[i] = new SecondBucket(seriesSlots);
        }
        this.liveLatency = new Histogram[seriesSlots];
        this.lastCounted = new long[seriesSlots];
        this.clientIps = new KeyCounter(limits.keysPerSecond());
        this.paths = new KeyCounter(limits.keysPerSecond());
        this.notFoundPaths = new KeyCounter(limits.keysPerSecond());
        this.startSecond = clockSecond();
        this.openSecond = startSecond;
        bucket(startSecond).reset(startSecond);
    }

    /** Counts the access records of one chunk into the current second; other records are ignored. */
    public void record(List<LogRecord> chunk) {
        for (int i = chunk.size() - 1; i >= 0; i--) {
            Instant t = chunk.get(i).getTimestamp();
            if (t != null) {
                newestRecordMs = t.toEpochMilli();
                break;
            }
        }
        synchronized (this) {
            SecondBucket b = advance();
            for (int i = 0, n = chunk.size(); i < n; i++) {
                LogRecord r = chunk.get(i);
                if (r.isAccess() && !r.isReplayed()) { // a line read again was counted the first time
                    count(b, r);
                }
            }
        }
    }

    /**
     * How far behind the clock the records counted last were written, by their own timestamps, in ms; 0 before any
     * record with one. Long behind while a backlog is read: seconds of counting then hold minutes of the log.
     */
    public long recordsBehindMs() {
        long newest = newestRecordMs;
        return newest == Long.MIN_VALUE ? 0 : Math.max(0, clock.millis() - newest);
    }

    /** The last {@code window} of traffic, for every service ({@code service} null or "all") or for one. */
    public StatsSnapshot snapshot(Duration window, String service) {
        return compute(window, service, true);
    }

    /** As {@link #snapshot} without the top lists (left empty): what threshold rules read every second. */
    public StatsSnapshot metrics(Duration window, String service) {
        return compute(window, service, false);
    }

    /**
     * The services that hold a series (seen since start, or named by a threshold rule, even if never seen; a silent
     * one keeps its series until a new service needs it), then {@value #OTHER} if services were folded into it.
     */
    public synchronized List<String> services() {
        List<String> names = new ArrayList<>(serviceNames);
        if (otherUsed) {
            names.add(OTHER);
        }
        return names;
    }

    public StatsLimits limits() {
        return limits;
    }

    /** Keys held (open second and ring), for tests and memory estimates: bounded by the limits whatever comes in. */
    synchronized int keysHeld() {
        int n = clientIps.size() + paths.size() + notFoundPaths.size();
        for (SecondBucket b : ring) {
            n += b.clientIps.size() + b.paths.size() + b.notFoundPaths.size();
        }
        return n;
    }

    /** Latency bins held by finished seconds, for tests and memory estimates. */
    synchronized long latencyBinsHeld() {
        long n = 0;
        for (SecondBucket b : ring) {
            n += b.latencyBins();
        }
        return n;
    }

    private void count(SecondBucket b, LogRecord r) {
        int status = r.getStatus();
        int si = seriesOf(r.getService());
        long micros = LatencyBins.micros(r.latencyMillis());
        // counted once, into the record's own series; everything's series gets the services' counts when the
        // second is closed (nobody reads the open second), not a second count per record
        b.series(si).count(status);
        if (micros >= 0) {
            live(si).recordValue(micros);
        }
        String ip = r.getClientIp();
        if (ip != null) {
            String k = key(ip);
            clientIps.add(k, hash(k, ip, r.clientIpHash()), si);
        }
        String path = r.getPath();
        if (path != null) {
            String k = key(path);
            long h = hash(k, path, r.pathHash());
            paths.add(k, h, si);
            if (status == 404) {
                notFoundPaths.add(k, h, si);
            }
        }
    }

    private Histogram live(int series) {
        Histogram h = liveLatency[series];
        if (h == null) {
            h = LatencyBins.newHistogram();
            liveLatency[series] = h;
        }
        return h;
    }

    private String key(String text) {
        return text.length() <= limits.maxKeyLength() ? text : text.substring(0, limits.maxKeyLength());
    }

    /** The hash of {@code key}: the record's own {@code textHash} unless {@link #key} had to cut the text. */
    private static long hash(String key, String text, long textHash) {
        return key == text ? textHash : TextHash.of(key);
    }

    /** The series of a service name; records without one count only towards everything. */
    private int seriesOf(String service) {
        if (service == null) {
            return ALL;
        }
        if (service == lastService) { // a chunk mostly comes from one service: skip the map
            return lastServiceIndex;
        }
        Integer known = serviceIndex.get(service);
        int index;
        if (known != null) {
            index = known;
        } else if (service.equals(OTHER)) {
            index = otherIndex;
            otherUsed = true;
        } else if ((index = seriesForNew(service)) < 0) {
            // not remembered: a flood of made-up service names must not grow the map
            index = otherIndex;
            if (!foldedLately()) { // each time folding starts again, not once per process
                foldWarnings++;
                LOG.warn("more than {} services within {} s: '{}' and any others past that are counted under '{}'"
                        + " (threshold rules naming them hold still)", limits.maxServices(), ring.length,
                        PlainText.loggable(AlertEvent.clip(service, 64)), OTHER);
            }
            otherUsed = true;
            return index; // not cached either: it takes a series as soon as one falls silent
        }
        lastService = service;
        lastServiceIndex = index;
        return index;
    }

    /** As {@link #takeSeries}, once every service the rules name has had its turn (this one may be among them). */
    private int seriesForNew(String service) {
        if (pinnedWaiting) {
            seatPinned();
            Integer seated = serviceIndex.get(service);
            if (seated != null) {
                return seated;
            }
        }
        return takeSeries(service);
    }

    /** A series for a service that has none: a free one, or one a silent service gives up; -1 when there is none. */
    private int takeSeries(String service) {
        int index;
        if (serviceNames.size() < limits.maxServices()) {
            serviceNames.add(service);
            index = serviceNames.size();
        } else if ((index = silentSeries()) > 0) {
            serviceIndex.remove(serviceNames.set(index - 1, service));
        } else {
            return -1;
        }
        serviceIndex.put(service, index);
        lastCounted[index] = openSecond;
        return index;
    }

    /**
     * The services threshold rules name: each takes a series now if one is free, and keeps it while it is named,
     * however long it is silent. Folded into {@value #OTHER} because busier services took every series first, a
     * rule's service read as no traffic at all, and a flatline rule on it fired while it served.
     */
    public synchronized void keepSeriesFor(Set<String> services) {
        boolean changed = !services.equals(pinned);
        if (changed) {
            pinned = Set.copyOf(services);
            noFreeSeriesBefore = Long.MIN_VALUE; // a series no longer named may be free already
            pinnedWaiting = true;
        }
        if (pinnedWaiting) {
            seatPinned();
            if (changed && pinnedWaiting) {
                LOG.warn("threshold rules name more services than have a series free now (all {} taken by services"
                        + " seen within {} s): those are counted under '{}', and their rules hold still, until a"
                        + " series falls silent", limits.maxServices(), ring.length, OTHER);
            }
        }
    }

    /**
     * Gives each service the rules name that has no series one, where one is free. Called before an unnamed
     * service may take a series that fell silent, so a dead service's rule gets it first: the dead one never sends
     * the request that would take it.
     */
    private void seatPinned() {
        boolean waiting = false;
        for (String service : pinned) {
            if (!service.equals(OTHER) && !serviceIndex.containsKey(service)) {
                if (takeSeries(service) < 0) {
                    waiting = true;
                } else {
                    lastService = null; // the series may have been the cached service's
                }
            }
        }
        pinnedWaiting = waiting;
    }

    /** Whether a service was folded into {@value #OTHER} within the ring's reach, or in the open second. */
    private boolean foldedLately() {
        return otherUsed && (lastCounted[otherIndex] + ring.length > openSecond
                || bucket(openSecond).seriesOrNull(otherIndex) != null);
    }

    /** Times a fold was warned about (for tests). */
    synchronized int foldWarnings() {
        return foldWarnings;
    }

    /**
     * Whether a snapshot of {@code service} reads its own traffic: not when it has no series while others' requests
     * were folded into {@value #OTHER} within the ring's reach (it may be among them). With nothing folded, a
     * service without a series has simply sent nothing.
     */
    public synchronized boolean tracks(String service) {
        if (service == null || service.equals("all") || service.equals(OTHER) || serviceIndex.containsKey(service)) {
            return true;
        }
        return !foldedLately();
    }

    /**
     * A service's series that no second in the ring counted (its last request was longer ago than the ring
     * reaches, and none in the open second), or 0: every bucket holding its counts has been reset since.
     */
    private int silentSeries() {
        if (openSecond < noFreeSeriesBefore) {
            return 0;
        }
        long soonest = Long.MAX_VALUE;
        SecondBucket open = bucket(openSecond);
        for (int i = 1; i <= serviceNames.size(); i++) {
            if (pinned.contains(serviceNames.get(i - 1))) {
                continue; // a rule's service keeps its series
            }
            long free = lastCounted[i] + ring.length;
            if (free <= openSecond && open.seriesOrNull(i) == null) {
                return i;
            }
            soonest = Math.min(soonest, Math.max(free, openSecond + 1));
        }
        noFreeSeriesBefore = soonest;
        return 0;
    }

    private int seriesFor(String service) {
        if (service == null || service.equals("all")) {
            return ALL;
        }
        if (service.equals(OTHER)) {
            return otherUsed ? otherIndex : -1;
        }
        Integer known = serviceIndex.get(service);
        return known == null ? -1 : known;
    }

    /** The clock's second, moved on by however far it stepped back, until it catches up with the statistics. */
    private long clockSecond() {
        long real = Math.floorDiv(clock.millis(), 1000L);
        if (steppedBack > 0 && real >= openSecond) {
            steppedBack = 0; // the clock has caught up with the statistics: its own time again, no drift kept
        }
        return real + steppedBack;
    }

    /**
     * Moves the open bucket to the clock's second. A clock stepping back (NTP, a VM resumed) does not take the
     * statistics back with it: seconds go on from the open one, so windows keep sliding; recording into the open
     * second until the clock caught up had frozen every rate (a 2-minute step read as 2 minutes without a request,
     * then released them all into one second).
     */
    private SecondBucket advance() {
        long now = clockSecond();
        if (now < openSecond) {
            steppedBack += openSecond - now;
            now = openSecond;
        }
        if (now != openSecond) {
            close(bucket(openSecond));
            // seconds without traffic read as zero: empty the buckets skipped so they hold nothing stale
            for (long s = Math.max(openSecond + 1, now - ring.length + 1); s < now; s++) {
                bucket(s).reset(SecondBucket.UNUSED);
            }
            bucket(now).reset(now);
            openSecond = now;
        }
        return bucket(now);
    }

    private void close(SecondBucket b) {
        for (int i = 1; i < liveLatency.length; i++) {
            SeriesCounts s = b.seriesOrNull(i);
            if (s != null) {
                lastCounted[i] = b.second;
                b.series(ALL).add(s);
            }
            Histogram h = liveLatency[i];
            if (h != null && h.getTotalCount() > 0) {
                live(ALL).add(h);
            }
        }
        for (int i = 0; i < liveLatency.length; i++) {
            Histogram h = liveLatency[i];
            if (h != null && h.getTotalCount() > 0) {
                b.series(i).latency = LatencyBins.of(h);
                h.reset();
            }
        }
        int keep = limits.keysKeptPerSecond();
        b.clientIps = clientIps.freezeAndClear(keep);
        b.paths = paths.freezeAndClear(keep);
        b.notFoundPaths = notFoundPaths.freezeAndClear(keep);
    }

    private SecondBucket bucket(long second) {
        return ring[(int) Math.floorMod(second, (long) ring.length)];
    }

    private synchronized StatsSnapshot compute(Duration window, String service, boolean withTop) {
        long seconds = (window.toMillis() + 999) / 1000;
        if (seconds < 1) {
            throw new IllegalArgumentException("window must be positive, found " + window);
        }
        seconds = Math.min(seconds, maxWindowSeconds);
        advance();
        long now = openSecond;
        long counted = Math.max(0, Math.min(seconds, now - startSecond));
        int si = seriesFor(service);

        long requests = 0;
        long s4xx = 0;
        long s5xx = 0;
        Map<Integer, Long> statuses = new TreeMap<>();
        Map<String, long[]> ips = new HashMap<>();
        Map<String, long[]> pathCounts = new HashMap<>();
        Map<String, long[]> notFound = new HashMap<>();
        boolean approximate = false;
        merged.reset();
        for (long sec = now - counted; si >= 0 && sec < now; sec++) {
            SecondBucket b = bucket(sec);
            if (b.second != sec) {
                continue;
            }
            SeriesCounts c = b.seriesOrNull(si);
            if (c == null) {
                continue;
            }
            requests += c.requests;
            s4xx += c.status4xx;
            s5xx += c.status5xx;
            c.addStatusesTo(statuses);
            c.latency.addTo(merged);
            if (withTop) {
                b.clientIps.addTo(ips, si);
                b.paths.addTo(pathCounts, si);
                b.notFoundPaths.addTo(notFound, si);
                approximate |= b.clientIps.approximate || b.paths.approximate || b.notFoundPaths.approximate;
            }
        }
        long latencyCount = merged.getTotalCount();
        return new StatsSnapshot(si == ALL ? null : service, Duration.ofSeconds(seconds),
                Instant.ofEpochSecond(now - counted), Instant.ofEpochSecond(now), counted,
                requests, counted == 0 ? 0 : (double) requests / counted,
                percentileMs(50), percentileMs(95), percentileMs(99), latencyCount,
                share(s4xx, requests), share(s5xx, requests), statuses,
                top(ips), top(pathCounts), top(notFound), approximate);
    }

    private double percentileMs(double percentile) {
        return merged.getTotalCount() == 0 ? 0 : merged.getValueAtPercentile(percentile) / 1000.0;
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private static List<KeyCount> top(Map<String, long[]> counts) {
        return counts.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[0])
                        .thenComparing(Map.Entry::getKey))
                .limit(TOP)
                .map(e -> new KeyCount(e.getKey(), e.getValue()[0]))
                .toList();
    }
}
