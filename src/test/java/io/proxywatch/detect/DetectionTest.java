package io.proxywatch.detect;

import io.proxywatch.alert.AlertEvent;
import io.proxywatch.record.LogRecord;
import io.proxywatch.rules.Rules;
import io.proxywatch.rules.RulesFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The signature detector is built once per rules, ahead of the first chunk when start-up asks for it. */
class DetectionTest {
    private final Clock clock = Clock.systemUTC();

    private static LogRecord access(String path) {
        LogRecord r = new LogRecord();
        r.setMethod("GET");
        r.setPath(path);
        r.setStatus(200);
        r.setClientIp("203.0.113.9");
        r.setRaw("GET " + path);
        return r;
    }

    /** What {@code work} returns, or what it throws, run on a thread with a 48 KB stack. */
    private static Object onSmallStack(java.util.function.Supplier<?> work) throws InterruptedException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread small = new Thread(null, () -> {
            try {
                result.set(work.get());
            } catch (Throwable e) {
                result.set(e);
            }
        }, "small-stack", 48 * 1024);
        small.start();
        small.join();
        return result.get();
    }

    @Test
    void preparedDetectorIsTheOneTheFirstChunkUses() {
        Rules rules = RulesFile.load(null).current();
        Detection d = new Detection(() -> rules, new RateDetector(clock), clock);
        assertThat(d.signaturesInUse()).isNull();
        d.prepare();
        SignatureDetector built = d.signaturesInUse();
        assertThat(built).isNotNull();

        LogRecord attack = access("/../../etc/passwd");
        d.check(List.of(attack, access("/index.html")));
        assertThat(d.signaturesInUse()).isSameAs(built);
        assertThat(d.builds()).isEqualTo(1);
        assertThat(attack.getThreat()).as("the prepared detector checks").isNotNull();
    }

    @Test
    void aHugeAttackLineBecomesShortEvidence() {
        Rules rules = RulesFile.load(null).current();
        Detection d = new Detection(() -> rules, new RateDetector(clock), clock);
        LogRecord attack = access("/../../etc/passwd");
        attack.setRaw("GET /../../etc/passwd " + "A".repeat(1_000_000));
        List<AlertEvent> events = d.check(List.of(attack));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).evidence()).singleElement()
                .satisfies(line -> assertThat(line).startsWith("GET /../../etc/passwd AAA")
                        .hasSizeLessThan(AlertEvent.MAX_EVIDENCE_CHARS + 40));
    }

    /** The summary names the request's path: a megabyte path is held by the incident as its start only. */
    @Test
    void aHugePathBecomesAShortSummary() {
        Rules rules = RulesFile.load(null).current();
        Detection d = new Detection(() -> rules, new RateDetector(clock), clock);
        LogRecord attack = access("/../../etc/passwd?" + "A".repeat(1_000_000));
        List<AlertEvent> events = d.check(List.of(attack));
        assertThat(events).singleElement().satisfies(e -> assertThat(e.summary())
                .contains("/../../etc/passwd?AAA").hasSizeLessThan(AlertEvent.MAX_SUMMARY_CHARS + 40));
    }

    /**
     * A line that makes a detector fail goes on unchecked and the rest of its chunk is checked: a chunk that throws
     * is read again from the same offset, so a line that always fails would stop the pipeline on it. Here a rule
     * with a repeated group overflows a thread with a small stack (the JVM rounds it up to its minimum).
     */
    @Test
    void aRecordTheDetectorsFailOnGoesOnUncheckedAndTheChunkIsChecked(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, """
                signatures:
                  - {id: deep-group, category: sqli, in: [path], pattern: '((((a ?))))+b'}
                  - {id: etc-passwd, category: path_traversal, in: [path], pattern: 'etc/passwd'}
                """);
        Rules rules = RulesFile.load(file).current();
        Detection d = new Detection(() -> rules, new RateDetector(clock), clock);
        LogRecord deep = access("/" + "a".repeat(RegexWindows.WINDOW - 1)); // one window, matched whole
        LogRecord attack = access("/../../etc/passwd");
        assertThat(onSmallStack(() -> d.check(List.of(deep, attack)))).isInstanceOf(List.class);
        assertThat(d.uncheckedRecords()).isEqualTo(1);
        assertThat(deep.getThreat()).isNull();
        assertThat(attack.getThreat()).isNotNull();
        assertThat(attack.getThreat().category()).isEqualTo("path_traversal");

        // the same line read again after its chunk failed downstream: not counted a second time
        LogRecord again = access("/" + "a".repeat(RegexWindows.WINDOW - 1));
        again.setReplayed(true);
        assertThat(onSmallStack(() -> d.check(List.of(again)))).isInstanceOf(List.class);
        assertThat(d.uncheckedRecords()).isEqualTo(1);

        assertThat(d.check(List.of(access("/a a b")))).singleElement() // on a normal stack the rule works
                .satisfies(e -> assertThat(e.rule()).isEqualTo("deep-group"));
        assertThat(d.uncheckedRecords()).isEqualTo(1);
    }

    @Test
    void newRulesGetANewDetector() {
        AtomicReference<Rules> current = new AtomicReference<>(RulesFile.load(null).current());
        Detection d = new Detection(current::get, new RateDetector(clock), clock);
        d.prepare();
        SignatureDetector first = d.signaturesInUse();
        current.set(RulesFile.load(null).current());
        d.check(List.of(access("/")));
        assertThat(d.signaturesInUse()).isNotSameAs(first);
        assertThat(d.builds()).isEqualTo(2);
    }

    @Test
    void aChunkArrivingDuringTheBuildWaitsForItInsteadOfBuildingAnother() throws Exception {
        Rules rules = RulesFile.load(null).current();
        Detection d = new Detection(() -> rules, new RateDetector(clock), clock);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<SignatureDetector> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            boolean preparer = i == 0;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                if (preparer) {
                    d.prepare();
                } else {
                    d.check(List.of(access("/a")));
                }
                seen.add(d.signaturesInUse());
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(seen).hasSize(4);
        assertThat(seen).allSatisfy(s -> assertThat(s).isSameAs(seen.get(0)));
        assertThat(d.builds()).isEqualTo(1);
    }

    /**
     * An excepted signature finding is dropped whole: no threat on the record, no alert event, no count in
     * proxywatch_detections_total. The rate rules are not exceptions' business and still count the requests.
     */
    @Test
    void anExceptedFindingTagsRaisesAndCountsNothingButTheRateRulesStillCount() {
        Rules rules = Rules.parse("""
                rate:
                  rules:
                    - {id: ip-burst, key: ip, limit: 3, window: 60s}
                signatures:
                  - {id: fn-call, category: sqli, in: [query], pattern: 'sum\\('}
                exceptions:
                  - {rules: [fn-call], path: '/api/v1/query'}
                """, "rules.yaml");
        Detection d = new Detection(() -> rules, new RateDetector(clock), clock);
        List<LogRecord> grafana = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            LogRecord r = access("/api/v1/query");
            r.setQuery("query=sum(rate(http_requests_total[5m]))");
            grafana.add(r);
        }
        LogRecord shop = access("/shop");
        shop.setClientIp("198.51.100.7");
        shop.setQuery("q=sum(1)");
        List<LogRecord> chunk = new ArrayList<>(grafana);
        chunk.add(shop);

        List<AlertEvent> events = d.check(chunk);
        assertThat(grafana.subList(0, 3)).allSatisfy(r -> assertThat(r.getThreat()).isNull());
        assertThat(grafana.get(3).getThreat().rule()).isEqualTo("ip-burst");
        assertThat(shop.getThreat().rule()).isEqualTo("fn-call");
        assertThat(events).extracting(AlertEvent::rule).containsExactlyInAnyOrder("ip-burst", "fn-call");
        assertThat(d.findingsByCategory()).isEqualTo(java.util.Map.of("rate", 1L, "sqli", 1L));
    }

    /** A Go gateway logging r.RemoteAddr: one client over 150 connections is one client to the rate windows. */
    @Test
    void oneClientOverManyPortsIsOneClientToTheRateWindows() {
        Rules rules = RulesFile.load(null).current();
        Detection d = new Detection(() -> rules, new RateDetector(clock), clock);
        io.proxywatch.parse.RecordParser parser = new io.proxywatch.parse.RecordParser("auto", null);
        List<LogRecord> chunk = new ArrayList<>();
        for (int port = 5000; port < 5150; port++) {
            chunk.add(parser.parse("{\"time\":\"" + java.time.Instant.now() + "\",\"level\":\"INFO\",\"msg\":\"req\","
                    + "\"client_ip\":\"198.51.100.7:" + port + "\",\"method\":\"GET\",\"path\":\"/p" + port
                    + "\",\"status\":200}", "access.log", port));
        }
        List<AlertEvent> events = d.check(chunk);
        assertThat(chunk.get(149).getThreat()).isNotNull();
        assertThat(chunk.get(149).getThreat().rule()).isEqualTo("ip-burst");
        assertThat(events).extracting(AlertEvent::key).containsExactly("198.51.100.7");
    }

    /**
     * A chunk read again and again after failing downstream (a full disk under the level files): its requests are
     * counted once, its findings told once, and its records still carry their signature's tag.
     */
    @Test
    void linesReadAgainAreTaggedButNotCountedOrToldAgain() {
        Rules rules = RulesFile.load(null).current();
        Detection d = new Detection(() -> rules, new RateDetector(clock), clock);
        List<AlertEvent> told = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            List<LogRecord> chunk = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                chunk.add(access(i == 0 ? "/../../etc/passwd" : "/page" + i));
                chunk.get(i).setReplayed(attempt > 0);
            }
            told.addAll(d.check(chunk));
            assertThat(chunk.get(0).getThreat()).as("attempt " + attempt).isNotNull();
            assertThat(chunk.get(0).getThreat().category()).isEqualTo("path_traversal");
            assertThat(chunk.subList(1, 60)).allMatch(r -> r.getThreat() == null); // 60 requests, never 180
        }
        assertThat(told).extracting(AlertEvent::category).containsExactly("path_traversal");
        assertThat(d.findingsByCategory()).isEqualTo(java.util.Map.of("path_traversal", 1L));
    }

    /**
     * A rules edit that removes a rate rule lands between a chunk reading the rules and taking the detector's lock,
     * and the sweep runs in that gap with the new rules: it resolves the rule's bursts and forgets the rule. The
     * chunk must then count under the new rules too; counting under the old ones opened a burst in a rule no sweep
     * knew any more, whose alert was never resolved.
     */
    @Test
    void aRuleRemovedWhileAChunkWaitsForTheLockIsNotCountedByIt() {
        io.proxywatch.testkit.MutableClock wall = new io.proxywatch.testkit.MutableClock();
        Rules withRule = Rules.parse("""
                rate:
                  rules:
                    - {id: ip-burst, key: ip, limit: 1, window: 10s}
                """, "rules.yaml");
        Rules without = Rules.parse("rate:\n  rules: []\n", "rules.yaml");
        AtomicReference<Rules> current = new AtomicReference<>(withRule);
        List<AlertEvent> told = new ArrayList<>();
        Detection[] d = new Detection[1];
        boolean[] armed = {false};
        d[0] = new Detection(() -> {
            if (!armed[0]) {
                return current.get();
            }
            armed[0] = false;
            Rules read = current.get();
            current.set(without); // the edit lands ...
            told.addAll(d[0].sweep()); // ... and the sweep runs with it, before the chunk takes the lock
            return read;
        }, new RateDetector(wall), wall);

        told.addAll(d[0].check(List.of(access("/a"), access("/b"))));
        armed[0] = true;
        told.addAll(d[0].check(List.of(access("/c"), access("/d"))));
        wall.advance(60_000);
        told.addAll(d[0].sweep());
        told.addAll(d[0].sweep());

        assertThat(told).extracting(AlertEvent::state).containsExactly(AlertEvent.FIRING, AlertEvent.RESOLVED);
    }

    /** An allow-listed client is neither counted by the rate rules nor flagged by a signature; its neighbour is. */
    @Test
    void anAllowListedClientIsNeitherCountedNorFlagged() {
        Rules rules = Rules.parse("""
                allow: [10.0.0.0/8, 2001:db8::/32]
                rate:
                  rules:
                    - {id: ip-burst, key: ip, limit: 3, window: 60s}
                signatures:
                  - {id: traversal, category: path_traversal, in: [path], pattern: '\\.\\./'}
                """, "rules.yaml");
        Detection d = new Detection(() -> rules, new RateDetector(clock), clock);
        for (String client : List.of("10.1.2.3", "2001:db8::7", "11.1.2.3")) {
            List<LogRecord> chunk = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                LogRecord r = access(i == 0 ? "/../../etc/passwd" : "/page" + i);
                r.setClientIp(client);
                chunk.add(r);
            }
            List<AlertEvent> events = d.check(chunk);
            if (client.equals("11.1.2.3")) {
                assertThat(events).extracting(AlertEvent::rule).containsExactly("traversal", "ip-burst");
                assertThat(chunk.get(0).getThreat().rule()).isEqualTo("traversal");
                assertThat(chunk.subList(3, 5)).allMatch(r -> r.getThreat().rule().equals("ip-burst")); // 4th, 5th
            } else {
                assertThat(events).as(client).isEmpty();
                assertThat(chunk).as(client).allMatch(r -> r.getThreat() == null);
            }
        }
        assertThat(d.findingsByCategory()).isEqualTo(java.util.Map.of("path_traversal", 1L, "rate", 2L));
    }

    /**
     * One client's 12 attack lines in a chunk are one alert event: its rule, category, severity and key (the
     * address), a count of 12, the first and last request's times, and the first five lines as evidence.
     */
    @Test
    void aClientsFindingsInAChunkAreOneEventWithCountTimesAndFiveLines() {
        Rules rules = RulesFile.load(null).current();
        Detection d = new Detection(() -> rules, new RateDetector(clock), clock);
        java.time.Instant t0 = java.time.Instant.parse("2026-11-27T10:00:00Z");
        List<LogRecord> chunk = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            LogRecord r = access("/../../etc/passwd" + i);
            r.setRaw("attack line " + i);
            r.setTimestamp(t0.plusSeconds(i));
            chunk.add(r);
        }
        List<AlertEvent> events = d.check(chunk);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.category()).isEqualTo("path_traversal");
            assertThat(e.severity()).isEqualTo("high");
            assertThat(e.state()).isEqualTo(AlertEvent.FIRING);
            assertThat(e.key()).isEqualTo("203.0.113.9");
            assertThat(e.count()).isEqualTo(12);
            assertThat(e.firstSeen()).isEqualTo(t0);
            assertThat(e.lastSeen()).isEqualTo(t0.plusSeconds(11));
            assertThat(e.evidence()).containsExactly("attack line 0", "attack line 1", "attack line 2",
                    "attack line 3", "attack line 4");
        });
    }

    /** Rate windows whose every count fails, as a store that lost its backing would. */
    private static final class FailingStore implements WindowStore {
        @Override
        public Window window(RateRule rule, int maxKeys) {
            return new Window() {
                @Override
                public int add(long key, String ip, String path, long timeMs) {
                    throw new IllegalStateException("window store down");
                }

                @Override
                public int size() {
                    return 0;
                }
            };
        }

        @Override
        public void endChunk() {
        }

        @Override
        public List<Crossing> crossings() {
            return List.of();
        }
    }

    /** One detector failing on a record leaves the other's finding standing: tag, event and count. */
    @Test
    void aSignatureFoundStandsWhenTheRateWindowsFailOnTheRecord() {
        Rules rules = RulesFile.load(null).current();
        Detection d = new Detection(() -> rules, new RateDetector(clock, new FailingStore()), clock);
        LogRecord attack = access("/../../etc/passwd");
        List<AlertEvent> events = d.check(List.of(attack));
        assertThat(attack.getThreat()).isNotNull();
        assertThat(attack.getThreat().category()).isEqualTo("path_traversal");
        assertThat(events).extracting(AlertEvent::category).containsExactly("path_traversal");
        assertThat(d.findingsByCategory()).isEqualTo(java.util.Map.of("path_traversal", 1L));
        assertThat(d.uncheckedRecords()).isEqualTo(1);
    }
}
