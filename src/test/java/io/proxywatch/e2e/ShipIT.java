package io.proxywatch.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxywatch.testkit.TestCollector;
import io.proxywatch.testkit.TestCollector.Attempt;
import io.proxywatch.testkit.TestCollector.Request;
import io.proxywatch.testkit.TestCollector.Rule;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end, the built jar as its own process, shipping to a real HTTP(S) collector on 127.0.0.1
 * ({@link TestCollector}): happy path (body schema checked, gzip decoded, API key, bearer and extra headers seen),
 * 429 with Retry-After, 400 to the dead-letter folder, 413 split in halves, 503 for 10 s then recovery, NDJSON,
 * HTTPS with a self-signed certificate (refused without the truststore, accepted with it), connection refused for
 * 60 s (spool, then replay oldest first), a SIGKILL of the jar during an outage, and mutual TLS (no client
 * certificate: handshake refused, records kept; with it: delivered; a wrong keystore password: start-up error).
 *
 * <p>Every line written carries a unique trace id ({@link LogWriter#line}); every scenario counts records by trace
 * id at the collector: {@code lost} = written but neither accepted (2xx) nor in the dead-letter folder, which must
 * be 0; {@code duplicates} = accepted copies beyond the first, reported (and required to be 0 where nothing
 * happened that could justify one: no kill, no dropped connection, no outage).
 *
 * <p>The scenarios that need the same settings (429, 400, 413, 503, recursive 413) share one jar and one
 * collector (plain JSON, so a gzip fault cannot take them all down) and run in that order, each on its own range
 * of trace ids, with the collector's rules reset in between; the recursive 413 runs last among them because its
 * failure has been seen to wedge the jar's tailer. The others (happy path with gzip, NDJSON, HTTPS, 60 s refused,
 * SIGKILL, mutual TLS) start their own. The jar is copied once to a temp folder, so a rebuild of target/ meanwhile cannot change it.
 * Jar output: {@code target/e2e-logs/ship-*.log}; summaries: {@code target/e2e-logs/ShipIT-summary.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShipIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String API_KEY = "ak-SECRET-7f3a91c2e4b0";
    static final String BEARER = "bt-SECRET-5d82e0aa19c7";
    static final String ENV_API_KEY = "ak-SECRET-env-0c4e77d1";
    static final String FILE_BEARER = "bt-SECRET-file-93be1f04";
    static final String FILE_API_KEY = "ak-SECRET-file-2a6d58e3";
    static final String CLIENT_KEYSTORE_PASSWORD = "ks-SECRET-c1f08e93d27a";
    static final String WRONG_KEYSTORE_PASSWORD = "ks-SECRET-wrong-4b71e05f";
    static final int SHARED_MAX_RECORDS = 200;
    /** Waiting for records stops early when the collector got no request for this long (retries are <= 2 s apart). */
    static final Duration STALL = Duration.ofSeconds(20);
    /** Batch ids on an ingest request must look like an id: printable, no spaces. */
    private static final Pattern BATCH_ID = Pattern.compile("[\\x21-\\x7e]{1,200}");
    /** A WARN or ERROR line of the jar's log (logback/log4j layout {@code HH:mm:ss.SSS LEVEL [thread] ...}). */
    private static final Pattern WARN_OR_ERROR_LINE = Pattern.compile("(?m)^\\S+ (?:WARN|ERROR)\\b.*$");
    /** What such a line should name when the collector refused the jar's TLS connection. */
    private static final Pattern NAMES_TLS = Pattern.compile("(?i)SSL|TLS|handshake|certificat");
    private static final Pattern TRACE_IN_TEXT = Pattern.compile("trace_id\\\\?\"\\s*:\\s*\\\\?\"(t-\\d{6})");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp;

    private Path jarCopy;
    private Path jarCopyDir;
    private final List<JarProcess> jars = new ArrayList<>();
    private final List<TestCollector> collectors = new ArrayList<>();
    private final List<PacedAppender> appenders = new ArrayList<>();
    private Shared shared;
    private Throwable sharedFailure;

    @BeforeAll
    void snapshotJar() throws IOException {
        jarCopyDir = Files.createTempDirectory("shipit-jar");
        jarCopy = JarProcess.snapshotJar(jarCopyDir);
        Files.createDirectories(JarProcess.logDir());
        Files.writeString(JarProcess.logDir().resolve("ShipIT-summary.txt"), "", StandardCharsets.UTF_8);
    }

    @AfterEach
    void stopScenario() throws InterruptedException {
        for (PacedAppender a : appenders) {
            a.stop();
        }
        appenders.clear();
        for (JarProcess j : jars) {
            j.close();
        }
        jars.clear();
        for (TestCollector c : collectors) {
            c.close();
        }
        collectors.clear();
        if (shared != null) {
            shared.collector.clearRules();
            if (!shared.collector.isRunning()) {
                try {
                    shared.collector.start();
                } catch (IOException e) {
                    // the next shared test fails on it
                }
            }
        }
    }

    @AfterAll
    void stopShared() throws IOException {
        if (shared != null) {
            shared.jar.close();
            shared.collector.close();
        }
        if (jarCopyDir != null) {
            Files.deleteIfExists(jarCopy);
            Files.deleteIfExists(jarCopyDir);
        }
    }

    // ============================================================================================ shared jar

    /** One jar + collector for the scenarios that need the same settings: JSON envelope, API key + bearer. */
    private static final class Shared {
        TestCollector collector;
        JarProcess jar;
        Path dir;
        Path logFile;
    }

    private Shared shared() throws Exception {
        if (sharedFailure != null) {
            throw new AssertionError("the shared jar failed to start in an earlier scenario", sharedFailure);
        }
        if (shared != null) {
            assertAlive(shared.jar);
            return shared;
        }
        try {
            Shared s = new Shared();
            s.dir = tmp.resolve("shared");
            s.logFile = s.dir.resolve("logs").resolve("app.log");
            Files.createDirectories(s.logFile.getParent());
            s.collector = TestCollector.builder().keepRecords(true).start();
            s.jar = base("ship-shared", s.dir, s.collector.url())
                    .property("proxywatch.ship.format", "json")
                    .property("proxywatch.ship.api-key", API_KEY)
                    .property("proxywatch.ship.bearer-token", BEARER)
                    .property("proxywatch.ship.headers", "X-Tenant=acme,X-Env=ci")
                    .property("proxywatch.ship.batch.max-records", SHARED_MAX_RECORDS)
                    .start();
            s.jar.awaitOutput(") started in", Duration.ofSeconds(90));
            shared = s;
            return s;
        } catch (Throwable t) {
            sharedFailure = t;
            throw t;
        }
    }

    /** The settings every scenario uses: its own folders, start at the beginning, fast retries. */
    private JarProcess.Builder base(String name, Path dir, String url) {
        return JarProcess.builder(name).jar(jarCopy).workDir(dir)
                .property("proxywatch.input.paths", dir.resolve("logs") + "/*.log")
                .property("proxywatch.input.start-at", "beginning")
                .property("proxywatch.input.rescan-interval-ms", 500)
                .property("proxywatch.data-dir", dir.resolve("data"))
                .property("proxywatch.levels.dir", dir.resolve("levels"))
                .property("proxywatch.progress.interval-ms", 5000)
                .property("proxywatch.ship.url", url)
                .property("proxywatch.ship.batch.timeout-ms", 300)
                .property("proxywatch.ship.retry.initial-delay-ms", 200)
                .property("proxywatch.ship.retry.max-delay-ms", 2000)
                .property("proxywatch.ship.retry.max-attempts", 5);
    }

    private JarProcess startJar(JarProcess.Builder b) throws IOException {
        JarProcess j = b.start();
        jars.add(j);
        j.awaitOutput(") started in", Duration.ofSeconds(90));
        return j;
    }

    private TestCollector collector(TestCollector.Builder b) throws IOException {
        TestCollector c = b.start();
        collectors.add(c);
        return c;
    }

    // ============================================================================================ scenarios

    @Test
    @Order(1)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void happyPath() throws Exception {
        long t0 = System.nanoTime();
        Path dir = tmp.resolve("happy");
        Path logFile = dir.resolve("logs").resolve("app.log");
        Files.createDirectories(logFile.getParent());
        TestCollector c = collector(TestCollector.builder().keepRecords(true));
        JarProcess jar = startJar(base("ship-happy", dir, c.url())
                .property("proxywatch.ship.format", "json")
                .property("proxywatch.ship.gzip", "true")
                .property("proxywatch.ship.api-key", API_KEY)
                .property("proxywatch.ship.bearer-token", BEARER)
                .property("proxywatch.ship.headers", "X-Tenant=acme,X-Env=ci")
                .property("proxywatch.ship.batch.max-records", SHARED_MAX_RECORDS));
        int firstRequest = 0;
        long from = 1;
        long to = 2000;
        appendLines(logFile, from, 1000);
        appendLines(logFile, 1001, to);
        awaitAccounted("happyPath", c, from, to, null, Duration.ofSeconds(60), jar);

        Tally t = tally("happyPath", c, from, to, to - from + 1, Set.of());
        List<Request> reqs = ingestRequests(c, firstRequest);
        List<String> headerProblems = new ArrayList<>();
        for (Request r : reqs) {
            check(headerProblems, r, "Content-Encoding", "gzip", r.gzipped());
            check(headerProblems, r, "format", "json", "json".equals(r.format()));
            check(headerProblems, r, "Content-Type", "application/json",
                    String.valueOf(r.header("Content-Type")).toLowerCase(Locale.ROOT).startsWith("application/json"));
            check(headerProblems, r, "X-API-Key", "the key", API_KEY.equals(r.header("X-API-Key")));
            check(headerProblems, r, "Authorization", "Bearer <token>", ("Bearer " + BEARER).equals(
                    r.header("Authorization")));
            check(headerProblems, r, "X-Tenant", "acme", "acme".equals(r.header("X-Tenant")));
            check(headerProblems, r, "X-Env", "ci", "ci".equals(r.header("X-Env")));
            check(headerProblems, r, "envelope hostname", "non-empty", r.hostname() != null
                    && !r.hostname().isBlank());
        }
        List<String> contentProblems = recordContentProblems(c, from, to);
        int maxBatch = reqs.stream().mapToInt(Request::recordCount).max().orElse(0);
        long retried = c.batches().entrySet().stream().filter(e -> e.getValue().size() > 1
                && e.getValue().get(0).request() >= firstRequest).count();
        Request sample = reqs.isEmpty() ? null : reqs.get(0);
        summary(t, "requests=" + reqs.size() + " max_batch=" + maxBatch + " gzip_ratio="
                + (sample == null ? "-" : String.format(Locale.ROOT, "%.2f", sample.rawBytes()
                / (double) Math.max(1, sample.decodedBytes()))) + " hostname=" + (sample == null ? "-"
                : sample.hostname()) + " service=" + (sample == null ? "-" : sample.service())
                + " retried_batches=" + retried + " time=" + secs(t0) + "s");

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(c.schemaErrors()).as("schema errors at the collector").isEmpty();
        assertTally(soft, t, true);
        soft.assertThat(reqs).as("ingest requests").isNotEmpty();
        soft.assertThat(headerProblems).as("requests whose headers/body format differ from the settings").isEmpty();
        soft.assertThat(contentProblems).as("records whose content differs from the line written").isEmpty();
        soft.assertThat(maxBatch).as("largest batch (proxywatch.ship.batch.max-records=" + SHARED_MAX_RECORDS + ")")
                .isBetween(1, SHARED_MAX_RECORDS);
        soft.assertThat(batchIdProblems(reqs)).as("X-Proxywatch-Batch-Id problems").isEmpty();
        soft.assertThat(retried).as("batches sent more than once although the collector always said 200").isZero();
        assertNoSecrets(soft, jar, API_KEY, BEARER);
        soft.assertAll();
    }

    /**
     * Two 429s with Retry-After: 2 in a row for the first batch of the range. Two, because the HTTP client inside
     * the jar (Apache HttpClient 5, via camel-http) retries a 429/503 once by itself, honouring Retry-After: a single
     * 429 never reaches proxywatch's own retry logic. Each retry must come >= 2 s after its 429 (the configured
     * initial delay is 200 ms), under the same X-Proxywatch-Batch-Id, with the same records.
     */
    @Test
    @Order(2)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void retryAfter429IsHonouredWithTheSameBatchId() throws Exception {
        long t0 = System.nanoTime();
        Shared s = shared();
        TestCollector c = s.collector;
        c.clearRules();
        int firstRequest = c.requestCount();
        long from = 10_001;
        long to = 10_300;
        String[] target = {null};
        Rule rule = Rule.status(429).header("Retry-After", "2").body("{\"error\":\"slow down\"}").times(2)
                .when(r -> {
                    synchronized (target) {
                        if (target[0] == null && anyInRange(r, from, to)) {
                            target[0] = r.batchId();
                        }
                        return target[0] != null && target[0].equals(r.batchId());
                    }
                }).named("429 twice");
        c.addRule(rule);
        appendLines(s.logFile, from, to);
        awaitAccounted("retryAfter429", c, from, to, null, Duration.ofSeconds(60), s.jar);

        Tally t = tally("retryAfter429", c, from, to, to - from + 1, Set.of());
        List<Request> reqs = ingestRequests(c, firstRequest);
        String batch = target[0];
        List<Attempt> attempts = batch == null ? List.of() : c.attempts(batch);
        List<Long> gapsMs = new ArrayList<>();
        for (int i = 0; i + 1 < attempts.size(); i++) {
            if (attempts.get(i).status() == 429) {
                gapsMs.add((attempts.get(i + 1).nanos() - attempts.get(i).nanos()) / 1_000_000);
            }
        }
        summary(t, "requests=" + reqs.size() + " batch_429=" + batch + " attempts_of_it="
                + attempts.stream().map(a -> String.valueOf(a.status())).toList() + " gaps_after_429=" + gapsMs
                + "ms time=" + secs(t0) + "s");

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(c.schemaErrors()).as("schema errors at the collector").isEmpty();
        assertTally(soft, t, true);
        soft.assertThat(rule.hits()).as("429 answers given").isEqualTo(2);
        soft.assertThat(attempts).as("attempts of batch " + batch + " (429, 429, then 2xx, all under the SAME "
                + "X-Proxywatch-Batch-Id); requests: " + reqs).hasSizeGreaterThanOrEqualTo(3);
        if (attempts.size() >= 3) {
            soft.assertThat(attempts.get(attempts.size() - 1).ok()).as("the last attempt was accepted: "
                    + attempts).isTrue();
            soft.assertThat(attempts).as("every attempt carries the same records")
                    .allSatisfy(a -> assertThat(a.fingerprint()).isEqualTo(attempts.get(0).fingerprint()));
        }
        soft.assertThat(gapsMs).as("ms from each 429 (Retry-After: 2) to the next attempt; retry.initial-delay-ms "
                + "is 200, so less than ~2000 means Retry-After was ignored").hasSize(2)
                .allSatisfy(g -> assertThat(g).isGreaterThanOrEqualTo(1900L));
        soft.assertThat(batchIdProblems(reqs)).as("X-Proxywatch-Batch-Id problems").isEmpty();
        assertNoSecrets(soft, s.jar, API_KEY, BEARER);
        soft.assertAll();
    }

    @Test
    @Order(3)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void badRequestGoesToTheDeadLetterFolderWithoutRetry() throws Exception {
        long t0 = System.nanoTime();
        Shared s = shared();
        TestCollector c = s.collector;
        c.clearRules();
        int firstRequest = c.requestCount();
        long from = 20_001;
        long to = 20_500;
        String poison = LogWriter.traceId(20_123);
        String body = "{\"error\":\"invalid record\",\"trace_id\":\"" + poison + "\",\"code\":\"E_SCHEMA_42\"}";
        Rule rule = Rule.status(400).body(body).when(r -> r.traceIds().contains(poison)).named("400 poison");
        c.addRule(rule);
        appendLines(s.logFile, from, to);
        Path deadLetterDir = s.dir.resolve("data").resolve("dead-letter");
        awaitAccounted("badRequest400", c, from, to, deadLetterDir, Duration.ofSeconds(60), s.jar);

        List<StoredFile> dead = StoredFile.readAll(deadLetterDir);
        Set<String> deadIds = StoredFile.traceIds(dead);
        Tally t = tally("badRequest400", c, from, to, to - from + 1, deadIds);
        List<Request> reqs = ingestRequests(c, firstRequest);
        List<Request> rejected = reqs.stream().filter(r -> r.status() == 400).toList();
        List<Request> carryingPoison = reqs.stream().filter(r -> r.traceIds().contains(poison)).toList();
        StoredFile poisonFile = dead.stream().filter(f -> f.traceIds.contains(poison)).findFirst().orElse(null);
        Set<String> rejectedIds = new TreeSet<>();
        rejected.forEach(r -> rejectedIds.addAll(r.traceIds()));
        summary(t, "dead_letter_files=" + dead.size() + " requests_400="
                + rejected.size() + " requests_with_poison=" + carryingPoison.size() + " time=" + secs(t0) + "s");

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(c.schemaErrors()).as("schema errors at the collector").isEmpty();
        soft.assertThat(t.lost).as("lost (neither accepted nor dead-lettered): " + t.missing).isZero();
        soft.assertThat(t.duplicates).as("duplicates: " + t.duplicated).isZero();
        soft.assertThat(rejected).as("requests answered 400").hasSize(1);
        soft.assertThat(carryingPoison).as("requests carrying " + poison + ": a 400 must not be retried (not even "
                + "under another batch id)").hasSize(1);
        soft.assertThat(poisonFile).as("a dead-letter file holding " + poison + " in " + deadLetterDir + ": "
                + dead).isNotNull();
        if (poisonFile != null) {
            soft.assertThat(poisonFile.json).as("dead-letter file " + poisonFile.path + " parses as one JSON object")
                    .isNotNull();
            if (poisonFile.json != null) {
                soft.assertThat(poisonFile.json.path("status").asInt(-1)).as("'status' in " + poisonFile.path + ": "
                        + poisonFile.head()).isEqualTo(400);
                soft.assertThat(poisonFile.json.path("response_body").asText("")).as("'response_body' in "
                        + poisonFile.path + ": " + poisonFile.head()).contains("E_SCHEMA_42");
            }
            soft.assertThat(poisonFile.traceIds).as("records in the dead-letter file = the rejected batch")
                    .isEqualTo(rejectedIds);
        }
        soft.assertThat(deadIds).as("dead-lettered trace ids = exactly the rejected batch").isEqualTo(rejectedIds);
        soft.assertThat(t.deadAndAccepted).as("trace ids both dead-lettered and accepted").isZero();
        soft.assertThat(batchIdProblems(reqs)).as("X-Proxywatch-Batch-Id problems").isEmpty();
        assertNoSecrets(soft, s.jar, API_KEY, BEARER);
        List<String> leaking = dead.stream().filter(f -> f.text.contains(API_KEY) || f.text.contains(BEARER))
                .map(f -> f.path.toString()).toList();
        if (!leaking.isEmpty()) {
            System.out.println("ShipIT.badRequest400: NOTE: a secret is written into dead-letter files " + leaking);
        }
        soft.assertAll();
    }

    /** 1,000 lines at once make full batches of 200; the collector answers 413 to more than 100 records. */
    @Test
    @Order(4)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void payloadTooLargeIsSplitInHalves() throws Exception {
        payloadTooLarge("payloadTooLarge413", 30_001, 31_000, 100);
    }

    /**
     * The same with a limit of 30: a half of 200 (100) is still too large, and so is a quarter (50), so the split
     * must recurse (200 -> 100 -> 50 -> 25). Runs last on the shared jar: a failure here has been seen to wedge
     * the tailer, which would take the scenarios after it down too.
     */
    @Test
    @Order(6)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void payloadTooLargeTwiceIsSplitAgain() throws Exception {
        payloadTooLarge("payloadTooLarge413Recursive", 50_001, 51_000, 30);
    }

    private void payloadTooLarge(String scenario, long from, long to, int limit) throws Exception {
        long t0 = System.nanoTime();
        Shared s = shared();
        TestCollector c = s.collector;
        c.clearRules();
        int firstRequest = c.requestCount();
        Rule rule = Rule.status(413).body("{\"error\":\"payload too large\"}").when(r -> r.recordCount() > limit)
                .named("413 > " + limit);
        c.addRule(rule);
        appendLines(s.logFile, from, to); // at once: full batches of 200
        Path deadLetterDir = s.dir.resolve("data").resolve("dead-letter");
        awaitAccounted(scenario, c, from, to, deadLetterDir, Duration.ofSeconds(60), s.jar);

        Set<String> deadIds = rangeOnly(StoredFile.traceIds(StoredFile.readAll(deadLetterDir)), from, to);
        Tally t = tally(scenario, c, from, to, to - from + 1, deadIds);
        List<Request> reqs = ingestRequests(c, firstRequest);
        List<Request> tooLarge = reqs.stream().filter(r -> r.status() == 413).toList();
        int maxAccepted = reqs.stream().filter(r -> r.status() / 100 == 2).mapToInt(Request::recordCount).max()
                .orElse(0);
        // each 413'd batch: its records come back in later requests that are subsets of it (its halves)
        List<String> splitProblems = new ArrayList<>();
        int exactHalves = 0;
        for (Request big : tooLarge) {
            Set<String> ids = new HashSet<>(big.traceIds());
            Set<String> covered = new HashSet<>();
            boolean firstHalf = false;
            boolean secondHalf = false;
            List<String> h1 = big.traceIds().subList(0, big.recordCount() / 2);
            List<String> h2 = big.traceIds().subList(big.recordCount() / 2, big.recordCount());
            for (Request later : reqs) {
                if (later.index() > big.index() && !later.traceIds().isEmpty() && ids.containsAll(later.traceIds())
                        && later.recordCount() < big.recordCount()) {
                    covered.addAll(later.traceIds());
                    firstHalf |= later.traceIds().equals(h1);
                    secondHalf |= later.traceIds().equals(h2);
                }
            }
            if (!covered.equals(ids)) {
                splitProblems.add(big + ": only " + covered.size() + " of its " + ids.size()
                        + " records came back in smaller requests");
            }
            if (firstHalf && secondHalf) {
                exactHalves++;
            }
        }
        summary(t, "requests=" + reqs.size() + " answered_413=" + tooLarge.size() + " split_into_exact_halves="
                + exactHalves + " max_accepted_batch=" + maxAccepted + " time=" + secs(t0) + "s");

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(c.schemaErrors()).as("schema errors at the collector").isEmpty();
        assertTally(soft, t, true);
        soft.assertThat(tooLarge).as("requests answered 413 (1000 lines written at once, max-records "
                + SHARED_MAX_RECORDS + ", limit " + limit + ")").isNotEmpty();
        soft.assertThat(maxAccepted).as("largest accepted batch").isLessThanOrEqualTo(limit);
        soft.assertThat(splitProblems).as("413'd batches not re-sent as smaller parts").isEmpty();
        soft.assertThat(batchIdProblems(reqs)).as("X-Proxywatch-Batch-Id problems (a half must not reuse its "
                + "parent's id, or an idempotent collector would drop it)").isEmpty();
        assertNoSecrets(soft, s.jar, API_KEY, BEARER);
        soft.assertAll();
    }

    @Test
    @Order(5)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void unavailable503ForTenSecondsThenRecovery() throws Exception {
        long t0 = System.nanoTime();
        Shared s = shared();
        TestCollector c = s.collector;
        c.clearRules();
        int firstRequest = c.requestCount();
        long from = 40_001;
        long to = 42_400;
        Rule rule = Rule.status(503).header("Content-Type", "text/plain").body("maintenance")
                .forNext(Duration.ofSeconds(10)).named("503 for 10 s");
        c.addRule(rule);
        long windowEnd = rule.untilNanos();
        PacedAppender writer = appender(s.logFile, from, to, 200); // 12 s
        Path spool = s.dir.resolve("data").resolve("spool");
        int[] maxSpool = {0};
        await("the 503 window to pass").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertAlive(s.jar);
                    maxSpool[0] = Math.max(maxSpool[0], StoredFile.count(spool));
                    return System.nanoTime() > windowEnd;
                });
        await("the writer").atMost(Duration.ofSeconds(30)).until(writer::isDone);
        awaitAccounted("unavailable503", c, from, to, null, Duration.ofSeconds(60), s.jar);
        long caughtUpMs = (System.nanoTime() - windowEnd) / 1_000_000;

        Tally t = tally("unavailable503", c, from, to, writer.written() - from + 1, Set.of());
        List<Request> reqs = ingestRequests(c, firstRequest);
        long answered503 = reqs.stream().filter(r -> r.status() == 503).count();
        long okInWindow = reqs.stream().filter(r -> r.status() / 100 == 2 && r.nanos() < windowEnd).count();
        List<String> resentUnderNewId = rejectedNeverAcceptedUnderSameId(c, firstRequest);
        await("the spool to drain").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> StoredFile.count(spool) == 0);
        summary(t, "answered_503=" + answered503 + " max_spool_files=" + maxSpool[0] + " batches_503_then_resent_"
                + "under_a_new_id=" + resentUnderNewId.size() + " caught_up_after_window=" + caughtUpMs + "ms"
                + " time=" + secs(t0) + "s");

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(c.schemaErrors()).as("schema errors at the collector").isEmpty();
        assertTally(soft, t, false);
        soft.assertThat(answered503).as("requests answered 503").isPositive();
        soft.assertThat(okInWindow).as("accepted during the 503 window").isZero();
        soft.assertThat(batchIdProblems(reqs)).as("X-Proxywatch-Batch-Id problems").isEmpty();
        assertNoSecrets(soft, s.jar, API_KEY, BEARER);
        soft.assertAll();
    }

    @Test
    @Order(7)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void ndjsonWithApiKeyFromEnvironmentAndBearerFromFile() throws Exception {
        long t0 = System.nanoTime();
        Path dir = tmp.resolve("ndjson");
        Path logFile = dir.resolve("logs").resolve("app.log");
        Files.createDirectories(logFile.getParent());
        Path bearerFile = dir.resolve("bearer.txt");
        Files.writeString(bearerFile, FILE_BEARER + "\n", StandardCharsets.UTF_8);
        TestCollector c = collector(TestCollector.builder().keepRecords(true));
        JarProcess jar = startJar(base("ship-ndjson", dir, c.url())
                .property("proxywatch.ship.format", "ndjson")
                .property("proxywatch.ship.api-key-header", "X-Collector-Key")
                .property("proxywatch.ship.bearer-token-file", bearerFile)
                .env("PROXYWATCH_SHIP_API_KEY", ENV_API_KEY));
        long from = 1;
        long to = 1500;
        appendLines(logFile, from, to);
        awaitAccounted("ndjson", c, from, to, null, Duration.ofSeconds(60), jar);

        Tally t = tally("ndjson", c, from, to, to - from + 1, Set.of());
        List<Request> reqs = ingestRequests(c, 0);
        List<String> problems = new ArrayList<>();
        for (Request r : reqs) {
            check(problems, r, "format", "ndjson", "ndjson".equals(r.format()));
            check(problems, r, "Content-Type", "application/x-ndjson", String.valueOf(r.header("Content-Type"))
                    .toLowerCase(Locale.ROOT).startsWith("application/x-ndjson"));
            check(problems, r, "Content-Encoding", "none (ship.gzip=false)", !r.gzipped());
            check(problems, r, "X-Collector-Key", "the key from PROXYWATCH_SHIP_API_KEY",
                    ENV_API_KEY.equals(r.header("X-Collector-Key")));
            check(problems, r, "X-API-Key", "absent (header renamed)", r.header("X-API-Key") == null);
            check(problems, r, "Authorization", "Bearer <token from file, trimmed>", ("Bearer " + FILE_BEARER)
                    .equals(r.header("Authorization")));
        }
        List<String> contentProblems = recordContentProblems(c, from, to);
        summary(t, "requests=" + reqs.size() + " time=" + secs(t0) + "s");

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(c.schemaErrors()).as("schema errors at the collector").isEmpty();
        assertTally(soft, t, true);
        soft.assertThat(reqs).as("ingest requests").isNotEmpty();
        soft.assertThat(problems).as("requests whose headers/format differ from the settings").isEmpty();
        soft.assertThat(contentProblems).as("records whose content differs from the line written").isEmpty();
        soft.assertThat(batchIdProblems(reqs)).as("X-Proxywatch-Batch-Id problems").isEmpty();
        assertNoSecrets(soft, jar, ENV_API_KEY, FILE_BEARER);
        soft.assertAll();
        int exit = jar.terminate(Duration.ofSeconds(45));
        assertThat(exit).as("exit code after SIGTERM; " + jar.describeOutput()).isIn(0, 130, 143);
    }

    @Test
    @Order(8)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void httpsSelfSignedRefusedWithoutTruststoreAcceptedWithIt() throws Exception {
        long t0 = System.nanoTime();
        Path dir = tmp.resolve("https");
        Path logFile = dir.resolve("logs").resolve("app.log");
        Files.createDirectories(logFile.getParent());
        Path keyFile = dir.resolve("api-key.txt");
        Files.writeString(keyFile, FILE_API_KEY + "\n", StandardCharsets.UTF_8);
        TestCollector.Tls tls = TestCollector.Tls.generate(dir.resolve("tls"));
        TestCollector c = collector(TestCollector.builder().https(tls));
        assertThat(c.url()).startsWith("https://127.0.0.1:");

        // 1. no truststore: the self-signed certificate must be refused (verification is on by default)
        JarProcess untrusting = startJar(base("ship-https-untrusted", dir, c.url())
                .property("proxywatch.ship.api-key-file", keyFile));
        appendLines(logFile, 1, 300);
        awaitUntil("a TLS connection attempt from the jar", Duration.ofSeconds(30), c, untrusting,
                () -> c.tlsConnections() > 0);
        await("no request to get through without the truststore").during(Duration.ofSeconds(6))
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> c.requestCount() == 0 && untrusting.isAlive());
        int tlsAttemptsUntrusted = c.tlsConnections();
        String untrustedOutput = untrusting.output();
        boolean namesCertificateProblem = Pattern.compile("(?i)PKIX|certificat|SSLHandshake|handshake")
                .matcher(untrustedOutput).find();
        int exit1 = untrusting.terminate(Duration.ofSeconds(45));

        // 2. with the truststore, same data folder: what was refused (spooled or not yet checkpointed) arrives
        JarProcess trusting = startJar(base("ship-https-trusted", dir, c.url())
                .property("proxywatch.ship.api-key-file", keyFile)
                .property("proxywatch.ship.tls.truststore", tls.truststore())
                .property("proxywatch.ship.tls.truststore-password", tls.password()));
        appendLines(logFile, 301, 500);
        Path deadLetterDir = dir.resolve("data").resolve("dead-letter");
        awaitAccounted("https", c, 1, 500, deadLetterDir, Duration.ofSeconds(90), trusting);

        Set<String> deadIds = StoredFile.traceIds(StoredFile.readAll(deadLetterDir));
        Tally t = tally("https", c, 1, 500, 500, deadIds);
        List<Request> reqs = ingestRequests(c, 0);
        summary(t, "requests=" + reqs.size() + " tls_attempts_without_truststore=" + tlsAttemptsUntrusted
                + " refusal_logged=" + namesCertificateProblem + " dead_lettered=" + deadIds.size() + " time="
                + secs(t0) + "s");

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(c.schemaErrors()).as("schema errors at the collector").isEmpty();
        soft.assertThat(namesCertificateProblem).as("the jar without the truststore logs why it cannot ship "
                + "(certificate/PKIX/handshake); output: " + untrusting.describeOutput()).isTrue();
        soft.assertThat(exit1).as("exit code of the untrusting jar after SIGTERM").isIn(0, 130, 143);
        assertTally(soft, t, false);
        soft.assertThat(deadIds).as("records dead-lettered because of the certificate (a TLS failure is a "
                + "connection error: retry/spool, not dead-letter)").isEmpty();
        soft.assertThat(reqs).allSatisfy(r -> assertThat(r.header("X-API-Key")).as("X-API-Key from api-key-file "
                + "(trimmed) on " + r).isEqualTo(FILE_API_KEY));
        soft.assertThat(batchIdProblems(reqs)).as("X-Proxywatch-Batch-Id problems").isEmpty();
        assertNoSecrets(soft, untrusting, FILE_API_KEY);
        assertNoSecrets(soft, trusting, FILE_API_KEY);
        soft.assertAll();
    }

    @Test
    @Order(9)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void connectionRefusedForSixtySecondsThenSpoolReplaysOldestFirst() throws Exception {
        long t0 = System.nanoTime();
        Path dir = tmp.resolve("refused");
        Path logFile = dir.resolve("logs").resolve("app.log");
        Files.createDirectories(logFile.getParent());
        TestCollector c = collector(TestCollector.builder());
        int port = c.port();
        JarProcess jar = startJar(base("ship-refused", dir, c.url())
                .property("proxywatch.ship.batch.max-records", 200));
        Path spool = dir.resolve("data").resolve("spool");
        long total = 8_000;
        PacedAppender writer = appender(logFile, 1, total, 100); // ~80 s, through the whole outage
        awaitUntil("the first 200 records to arrive", Duration.ofSeconds(30), c, jar, () -> c.distinct() >= 200);
        c.stop();
        long downAt = System.nanoTime();
        long writtenAtDown = writer.written();
        int[] maxSpool = {0};
        long[] firstSpoolMs = {-1};
        await("60 s of connection refused").atMost(Duration.ofSeconds(70)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    assertAlive(jar);
                    int n = StoredFile.count(spool);
                    maxSpool[0] = Math.max(maxSpool[0], n);
                    if (n > 0 && firstSpoolMs[0] < 0) {
                        firstSpoolMs[0] = (System.nanoTime() - downAt) / 1_000_000;
                    }
                    return System.nanoTime() - downAt >= TimeUnit.SECONDS.toNanos(60);
                });
        List<StoredFile> spooledBeforeRecovery = StoredFile.readAll(spool);
        Set<String> spooledIds = StoredFile.traceIds(spooledBeforeRecovery);
        long writtenAtUp = writer.written();
        c.start();
        assertThat(c.port()).as("the collector came back on the same port").isEqualTo(port);
        long upAt = System.nanoTime();
        long drainedMs = awaitSpoolDrained(spool, upAt, jar);
        await("the writer").atMost(Duration.ofSeconds(60)).until(writer::isDone);
        long writerDoneAt = System.nanoTime();
        awaitAccounted("connectionRefused60s", c, 1, total, null, Duration.ofSeconds(90), jar);
        long caughtUpMs = (System.nanoTime() - writerDoneAt) / 1_000_000;

        Tally t = tally("connectionRefused60s", c, 1, total, writer.written(), Set.of());
        List<Request> reqs = ingestRequests(c, 0);
        // replay order: requests (after the recovery) carrying records that were in the spool, in arrival order,
        // must go oldest first (the lines' order in the file)
        List<String> orderViolations = new ArrayList<>();
        long lastMin = -1;
        int replayed = 0;
        for (Request r : reqs) {
            if (r.nanos() < upAt || r.status() / 100 != 2) {
                continue;
            }
            long min = r.traceIds().stream().filter(spooledIds::contains).mapToLong(LogWriter::seqOf).min()
                    .orElse(-1);
            if (min < 0) {
                continue;
            }
            replayed++;
            if (min < lastMin) {
                orderViolations.add(r + " (oldest spooled record t-" + min + ") after one with t-" + lastMin);
            }
            lastMin = Math.max(lastMin, min);
        }
        long spooledNotAcceptedInOrder = spooledIds.stream().filter(id -> c.acceptedCount(id) == 0).count();
        summary(t, "outage=60s written_during_outage=" + (writtenAtUp - writtenAtDown) + " spool_files_max="
                + maxSpool[0] + " first_spool_after=" + firstSpoolMs[0] + "ms spooled_records_at_recovery="
                + spooledIds.size() + " replay_requests=" + replayed + " order_violations=" + orderViolations.size()
                + " spool_drained_after_recovery=" + drainedMs + "ms last_record_after_writer_done=" + caughtUpMs
                + "ms requests=" + reqs.size() + " time=" + secs(t0) + "s");

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(c.schemaErrors()).as("schema errors at the collector").isEmpty();
        assertTally(soft, t, false);
        soft.assertThat(maxSpool[0]).as("spool files in " + spool + " during a 60 s outage").isPositive();
        soft.assertThat(drainedMs).as("ms until the spool was empty after recovery (-1: not within 60 s; files: "
                + StoredFile.readAll(spool) + ")").isNotNegative();
        soft.assertThat(spooledIds).as("trace ids in the spool at recovery").isNotEmpty();
        soft.assertThat(spooledNotAcceptedInOrder).as("spooled records never accepted").isZero();
        soft.assertThat(orderViolations).as("spooled batches replayed out of order (oldest first expected)")
                .isEmpty();
        soft.assertThat(batchIdProblems(reqs)).as("X-Proxywatch-Batch-Id problems").isEmpty();
        soft.assertAll();
    }

    @Test
    @Order(10)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void sigkillDuringAnOutageRestartThenRecovery() throws Exception {
        long t0 = System.nanoTime();
        Path dir = tmp.resolve("sigkill");
        Path logFile = dir.resolve("logs").resolve("app.log");
        Files.createDirectories(logFile.getParent());
        TestCollector c = collector(TestCollector.builder());
        JarProcess.Builder settings = base("ship-sigkill", dir, c.url())
                .property("proxywatch.ship.batch.max-records", 200)
                .property("proxywatch.ship.api-key", API_KEY);
        JarProcess first = startJar(settings);
        Path spool = dir.resolve("data").resolve("spool");
        long total = 6_000;
        PacedAppender writer = appender(logFile, 1, total, 200); // 30 s
        awaitUntil("the first 200 records to arrive", Duration.ofSeconds(30), c, first, () -> c.distinct() >= 200);
        c.stop();
        long downAt = System.nanoTime();
        // kill while retrying and spooling: once something is spooled (plus a second), or after 12 s anyway
        long[] spooledAt = {-1};
        await("the jar to spool during the outage").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    assertAlive(first);
                    if (spooledAt[0] < 0 && StoredFile.count(spool) > 0) {
                        spooledAt[0] = System.nanoTime();
                    }
                    long now = System.nanoTime();
                    return spooledAt[0] > 0 && now - spooledAt[0] > TimeUnit.SECONDS.toNanos(1)
                            || now - downAt > TimeUnit.SECONDS.toNanos(12);
                });
        int spoolFilesAtKill = StoredFile.count(spool);
        long writtenAtKill = writer.written();
        first.kill9();
        JarProcess second = startJar(settings);
        await("a few seconds more of outage with the restarted jar").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    assertAlive(second);
                    return second.uptime().toSeconds() >= 4;
                });
        c.start();
        long upAt = System.nanoTime();
        long outageMs = (upAt - downAt) / 1_000_000;
        long drainedMs = awaitSpoolDrained(spool, upAt, second);
        await("the writer").atMost(Duration.ofSeconds(60)).until(writer::isDone);
        long writerDoneAt = System.nanoTime();
        awaitAccounted("sigkillDuringOutage", c, 1, total, null, Duration.ofSeconds(90), second);
        long caughtUpMs = (System.nanoTime() - writerDoneAt) / 1_000_000;

        Tally t = tally("sigkillDuringOutage", c, 1, total, writer.written(), Set.of());
        List<Request> reqs = ingestRequests(c, 0);
        summary(t, "outage=" + outageMs + "ms killed_at_line=" + writtenAtKill + " spool_files_at_kill="
                + spoolFilesAtKill + " spool_drained_after_recovery=" + drainedMs + "ms last_record_after_writer_done="
                + caughtUpMs + "ms duplicate_runs="
                + t.duplicated + " requests=" + reqs.size() + " time=" + secs(t0) + "s");

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(c.schemaErrors()).as("schema errors at the collector").isEmpty();
        assertTally(soft, t, false);
        soft.assertThat(batchIdProblems(reqs)).as("X-Proxywatch-Batch-Id problems").isEmpty();
        soft.assertThat(drainedMs).as("ms until the spool was empty after recovery (-1: not within 60 s; files: "
                + StoredFile.readAll(spool) + ")").isNotNegative();
        assertNoSecrets(soft, first, API_KEY);
        assertNoSecrets(soft, second, API_KEY);
        soft.assertAll();
        int exit = second.terminate(Duration.ofSeconds(45));
        assertThat(exit).as("exit code after SIGTERM; " + second.describeOutput()).isIn(0, 130, 143);
    }

    /**
     * Mutual TLS: the collector (HTTPS, self-signed) requires a client certificate it trusts (CN=proxywatch-client).
     * (a) A jar with the truststore but no client keystore: the handshake fails, no request gets through, the jar
     * logs a TLS error and keeps the records (retried, then spooled; never dead-lettered). (b) The jar restarted on
     * the same data folder with the client keystore (password given directly, so a banner that prints settings
     * would leak it): every record arrives, authenticated as the client. (c) Alongside, a jar with a wrong
     * keystore password (from a -file setting) must stop at start-up with an error naming proxywatch.ship.tls.
     * No keystore password may appear in any of the jars' output.
     */
    @Test
    @Order(11)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void mutualTls() throws Exception {
        long t0 = System.nanoTime();
        Path dir = tmp.resolve("mtls");
        Path logFile = dir.resolve("logs").resolve("app.log");
        Files.createDirectories(logFile.getParent());
        Path tlsDir = dir.resolve("tls");
        TestCollector.Tls server = TestCollector.Tls.generate(tlsDir);
        TestCollector.ClientCert client = TestCollector.Tls.generateClient(tlsDir, "proxywatch-client",
                CLIENT_KEYSTORE_PASSWORD);
        TestCollector c = collector(TestCollector.builder().https(server.trustingClients(client))
                .requireClientAuth(true).keepRecords(true));
        assertThat(c.url()).startsWith("https://127.0.0.1:");
        JarProcess.Builder trusting = base("ship-mtls-nocert", dir, c.url())
                .property("proxywatch.ship.tls.truststore", server.truststore())
                .property("proxywatch.ship.tls.truststore-password", server.password());

        // (c), in parallel: a wrong keystore password must stop the jar at start-up (own folders, no input)
        Path wrongDir = dir.resolve("wrong-password");
        Files.createDirectories(wrongDir);
        Path wrongPasswordFile = wrongDir.resolve("keystore-password.txt");
        Files.writeString(wrongPasswordFile, WRONG_KEYSTORE_PASSWORD + "\n", StandardCharsets.UTF_8);
        JarProcess wrong = base("ship-mtls-wrong-password", wrongDir, c.url())
                .property("proxywatch.ship.tls.truststore", server.truststore())
                .property("proxywatch.ship.tls.truststore-password", server.password())
                .property("proxywatch.ship.tls.keystore", client.keystore())
                .property("proxywatch.ship.tls.keystore-password-file", wrongPasswordFile)
                .start();
        jars.add(wrong);

        // (a) truststore only: the collector refuses the handshake; nothing accepted, nothing dead-lettered
        JarProcess noCert = startJar(trusting);
        appendLines(logFile, 1, 300);
        awaitUntil("a TLS connection attempt from the jar", Duration.ofSeconds(30), c, noCert,
                () -> c.tlsConnections() > 0);
        awaitUntil("the jar without a client certificate to log (WARN/ERROR) that it cannot ship",
                Duration.ofSeconds(20), c, noCert, () -> WARN_OR_ERROR_LINE.matcher(noCert.output()).find());
        Path spool = dir.resolve("data").resolve("spool");
        Path deadLetterDir = dir.resolve("data").resolve("dead-letter");
        try {
            // retries (5 attempts, <= 2 s apart) end in the spool; not required (unread lines are kept too)
            await("the refused records to be spooled").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        assertAlive(noCert);
                        return StoredFile.count(spool) > 0;
                    });
        } catch (ConditionTimeoutException e) {
            System.out.println("ShipIT.mutualTls: nothing spooled within 10 s without a client certificate");
        }
        int requestsWithoutCert = c.requestCount();
        long acceptedWithoutCert = c.distinct();
        int tlsAttemptsWithoutCert = c.tlsConnections();
        List<String> failureLines = new ArrayList<>();
        Matcher failures = WARN_OR_ERROR_LINE.matcher(noCert.output());
        while (failures.find()) {
            failureLines.add(lineAround(failures.group(), 0));
        }
        String refusalLine = failureLines.stream().filter(l -> NAMES_TLS.matcher(l).find()).findFirst()
                .orElse(null);
        int exitNoCert = noCert.terminate(Duration.ofSeconds(45));
        Set<String> spooledWithoutCert = StoredFile.traceIds(StoredFile.readAll(spool));
        Set<String> deadWithoutCert = StoredFile.traceIds(StoredFile.readAll(deadLetterDir));

        // (c) must have ended by now
        int exitWrong = wrong.awaitExit(Duration.ofSeconds(30));
        String wrongOutput = wrong.output();
        String wrongLine = wrongOutput.contains("proxywatch.ship.tls")
                ? lineAround(wrongOutput, wrongOutput.indexOf("proxywatch.ship.tls")) : null;

        // (b) the same data folder, now with the client keystore: what was refused arrives, plus new lines
        JarProcess withCert = startJar(base("ship-mtls-cert", dir, c.url())
                .property("proxywatch.ship.tls.truststore", server.truststore())
                .property("proxywatch.ship.tls.truststore-password", server.password())
                .property("proxywatch.ship.tls.keystore", client.keystore())
                .property("proxywatch.ship.tls.keystore-password", CLIENT_KEYSTORE_PASSWORD));
        long restartAt = System.nanoTime();
        appendLines(logFile, 301, 500);
        awaitAccounted("mutualTls", c, 1, 500, deadLetterDir, Duration.ofSeconds(45), withCert);
        long drainedMs = awaitSpoolDrained(spool, restartAt, withCert);

        Set<String> deadIds = StoredFile.traceIds(StoredFile.readAll(deadLetterDir));
        Tally t = tally("mutualTls", c, 1, 500, 500, deadIds);
        List<Request> reqs = ingestRequests(c, 0);
        Set<String> principals = new TreeSet<>();
        reqs.forEach(r -> principals.add(String.valueOf(r.clientPrincipal())));
        summary(t, "requests=" + reqs.size() + " client_principals=" + principals + " tls_attempts_without_cert="
                + tlsAttemptsWithoutCert + " requests_without_cert=" + requestsWithoutCert + " spooled_without_cert="
                + spooledWithoutCert.size() + " refusal_names_tls=" + (refusalLine != null)
                + " spool_drained_after_restart=" + drainedMs + "ms"
                + " wrong_password_exit=" + exitWrong + " dead_lettered=" + deadIds.size() + " time=" + secs(t0)
                + "s");

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(c.schemaErrors()).as("schema errors at the collector").isEmpty();
        // (a)
        soft.assertThat(requestsWithoutCert).as("requests that got through without a client certificate")
                .isZero();
        soft.assertThat(acceptedWithoutCert).as("records accepted without a client certificate").isZero();
        soft.assertThat(refusalLine).as("a WARN/ERROR line of the jar without a client certificate naming the "
                + "TLS failure (SSL/TLS/handshake/certificate); its WARN/ERROR lines were " + failureLines
                + "; output: " + noCert.describeOutput()).isNotNull();
        soft.assertThat(exitNoCert).as("exit code of the jar without a client certificate after SIGTERM")
                .isIn(0, 130, 143);
        soft.assertThat(deadWithoutCert).as("records dead-lettered because of the refused handshake (a TLS failure "
                + "is a connection error: retry/spool, not dead-letter)").isEmpty();
        // (b)
        assertTally(soft, t, false);
        soft.assertThat(deadIds).as("dead-lettered trace ids").isEmpty();
        soft.assertThat(reqs).as("ingest requests with the client certificate").isNotEmpty();
        soft.assertThat(principals).as("client certificate subjects the accepted requests came with")
                .containsExactly(client.subject());
        soft.assertThat(drainedMs).as("ms until the spool was empty after the restart (-1: not within 60 s; "
                + "files: " + StoredFile.readAll(spool) + ")").isNotNegative();
        soft.assertThat(batchIdProblems(reqs)).as("X-Proxywatch-Batch-Id problems").isEmpty();
        // (c)
        soft.assertThat(exitWrong).as("exit code with a wrong keystore password; " + wrong.describeOutput())
                .isNotZero();
        soft.assertThat(wrongLine).as("start-up error naming proxywatch.ship.tls; " + wrong.describeOutput())
                .isNotNull();
        soft.assertThat(wrongOutput).as("a jar with a wrong keystore password must not start; "
                + wrong.describeOutput()).doesNotContain(") started in");
        // secrets
        assertNoSecrets(soft, noCert, CLIENT_KEYSTORE_PASSWORD);
        assertNoSecrets(soft, withCert, CLIENT_KEYSTORE_PASSWORD);
        assertNoSecrets(soft, wrong, WRONG_KEYSTORE_PASSWORD, CLIENT_KEYSTORE_PASSWORD);
        System.out.println("ShipIT.mutualTls: without a client certificate the jar logged: " + failureLines);
        System.out.println("ShipIT.mutualTls: wrong password reported as: " + wrongLine);
        soft.assertAll();
        int exit = withCert.terminate(Duration.ofSeconds(45));
        assertThat(exit).as("exit code after SIGTERM; " + withCert.describeOutput()).isIn(0, 130, 143);
    }

    // ============================================================================================ helpers

    /** Appends lines {@code from..to} in one write (the file is created if missing). */
    static void appendLines(Path file, long from, long to) throws IOException {
        StringBuilder b = new StringBuilder((int) (to - from + 1) * 300);
        for (long seq = from; seq <= to; seq++) {
            b.append(LogWriter.line(seq));
        }
        Files.writeString(file, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    private PacedAppender appender(Path file, long from, long to, int perSecond) {
        PacedAppender a = new PacedAppender(file, from, to, perSecond);
        appenders.add(a);
        a.start();
        return a;
    }

    /** Appends lines {@code from..to} at a steady pace (20 writes per second), on a thread of its own. */
    static final class PacedAppender implements Runnable {
        private final Path file;
        private final long from;
        private final long to;
        private final int perSecond;
        private final AtomicLong written;
        private volatile boolean done;
        private volatile Throwable failure;
        private Thread thread;

        PacedAppender(Path file, long from, long to, int perSecond) {
            this.file = file;
            this.from = from;
            this.to = to;
            this.perSecond = perSecond;
            this.written = new AtomicLong(from - 1);
        }

        void start() {
            thread = new Thread(this, "paced-appender");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            long step = Math.max(1, perSecond / 20);
            try {
                for (long seq = from; seq <= to && !Thread.currentThread().isInterrupted(); seq += step) {
                    long end = Math.min(to, seq + step - 1);
                    appendLines(file, seq, end);
                    written.set(end);
                    long due = start + (end - from + 1) * TimeUnit.SECONDS.toNanos(1) / perSecond;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
                        LockSupport.parkNanos(wait);
                    }
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                done = true;
            }
        }

        /** The last sequence number written. */
        long written() {
            return written.get();
        }

        boolean isDone() {
            if (failure != null) {
                throw new AssertionError("the paced appender failed", failure);
            }
            return done;
        }

        void stop() throws InterruptedException {
            if (thread != null) {
                thread.interrupt();
                thread.join(5000);
            }
        }
    }

    /**
     * Waits until every trace id {@code from..to} was accepted by the collector or is in the dead-letter folder
     * (when given). Does not fail on timeout: the tally that follows says what is missing. Fails at once if one
     * of the jars died.
     */
    private static void awaitAccounted(String what, TestCollector c, long from, long to, Path deadLetterDir,
                                       Duration atMost, JarProcess... alive) {
        long[] cursor = {from};
        // {records accepted, requests, nanoTime of the last change}: give up early once nothing moves for STALL
        long[] last = {-1, -1, System.nanoTime()};
        boolean[] stalled = {false};
        try {
            await(what + ": all trace ids " + LogWriter.traceId(from) + ".." + LogWriter.traceId(to) + " accepted"
                    + (deadLetterDir != null ? " or dead-lettered" : "")).atMost(atMost)
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        for (JarProcess j : alive) {
                            assertAlive(j);
                        }
                        long accepted = c.acceptedRecords();
                        long requests = c.requestCount();
                        Set<String> dead = deadLetterDir == null ? Set.of()
                                : StoredFile.traceIds(StoredFile.readAll(deadLetterDir));
                        while (cursor[0] <= to) {
                            String id = LogWriter.traceId(cursor[0]);
                            if (c.acceptedCount(id) == 0 && !dead.contains(id)) {
                                break;
                            }
                            cursor[0]++;
                        }
                        if (cursor[0] > to) {
                            return true;
                        }
                        if (accepted != last[0] || requests != last[1]) {
                            last[0] = accepted;
                            last[1] = requests;
                            last[2] = System.nanoTime();
                        } else if (System.nanoTime() - last[2] > STALL.toNanos()) {
                            stalled[0] = true;
                            return true;
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            System.out.println("ShipIT." + what + ": gave up waiting after " + atMost.toSeconds() + " s; first "
                    + "missing " + LogWriter.traceId(cursor[0]) + "; collector " + c.summary());
        }
        if (stalled[0]) {
            System.out.println("ShipIT." + what + ": gave up waiting: no request for " + STALL.toSeconds() + " s; "
                    + "first missing " + LogWriter.traceId(cursor[0]) + "; collector " + c.summary());
        }
    }

    /** Waits (up to 60 s) until no spool file holds a record; returns the ms since {@code since}, or -1. */
    private static long awaitSpoolDrained(Path spool, long since, JarProcess jar) {
        try {
            await("the spool " + spool + " to drain").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        assertAlive(jar);
                        return StoredFile.count(spool) == 0;
                    });
            return (System.nanoTime() - since) / 1_000_000;
        } catch (ConditionTimeoutException e) {
            return -1;
        }
    }

    /** Waits for {@code condition}; on timeout fails with what the collector saw and the jar's output. */
    private static void awaitUntil(String what, Duration atMost, TestCollector c, JarProcess jar,
                                   java.util.concurrent.Callable<Boolean> condition) {
        try {
            await(what).atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
                assertAlive(jar);
                return condition.call();
            });
        } catch (ConditionTimeoutException e) {
            List<String> errors = c.schemaErrors();
            throw new AssertionError(what + ": did not happen within " + atMost.toSeconds() + " s; collector "
                    + c.summary() + (errors.isEmpty() ? "" : "; schema errors: " + errors.subList(0,
                    Math.min(3, errors.size()))) + "; " + jar.describeOutput(), e);
        }
    }

    private static void assertAlive(JarProcess jar) {
        if (!jar.isAlive()) {
            throw new AssertionError(jar.label() + " died on its own. Output: " + jar.describeOutput());
        }
    }

    /** Counts of one scenario's range of trace ids. */
    record Tally(String scenario, long sent, long receivedDistinct, long deadLettered, long lost, long duplicates,
                 long deadAndAccepted, long foreign, List<String> missing, List<String> duplicated) {
    }

    /**
     * sent = lines written ({@code from..from+sent-1}); received_distinct = of those, accepted at least once;
     * lost = neither accepted nor dead-lettered; duplicates = accepted copies beyond the first.
     */
    private static Tally tally(String scenario, TestCollector c, long from, long to, long sent, Set<String> dead) {
        long last = from + sent - 1;
        long distinct = 0;
        long lost = 0;
        long dups = 0;
        long deadCount = 0;
        long deadAndAccepted = 0;
        List<long[]> missingRuns = new ArrayList<>();
        List<long[]> dupRuns = new ArrayList<>();
        for (long seq = from; seq <= last; seq++) {
            String id = LogWriter.traceId(seq);
            int n = c.acceptedCount(id);
            boolean isDead = dead.contains(id);
            if (n > 0) {
                distinct++;
            }
            if (isDead) {
                deadCount++;
                if (n > 0) {
                    deadAndAccepted++;
                }
            }
            if (n == 0 && !isDead) {
                lost++;
                addRun(missingRuns, seq, 1);
            }
            if (n > 1) {
                dups += n - 1;
                addRun(dupRuns, seq, n);
            }
        }
        long foreign = c.acceptedTraceIds().stream().mapToLong(LogWriter::seqOf).filter(s -> s < 1).count();
        return new Tally(scenario, sent, distinct, deadCount, lost, dups, deadAndAccepted, foreign,
                describeRuns(missingRuns), describeRuns(dupRuns));
    }

    private static void addRun(List<long[]> runs, long seq, int times) {
        long[] lastRun = runs.isEmpty() ? null : runs.get(runs.size() - 1);
        if (lastRun != null && lastRun[1] == seq - 1 && lastRun[2] == times) {
            lastRun[1] = seq;
        } else {
            runs.add(new long[] {seq, seq, times});
        }
    }

    private static List<String> describeRuns(List<long[]> runs) {
        List<String> out = new ArrayList<>();
        for (long[] r : runs) {
            if (out.size() == 10) {
                out.add("… " + (runs.size() - 10) + " more runs");
                break;
            }
            out.add(LogWriter.traceId(r[0]) + (r[1] > r[0] ? ".." + LogWriter.traceId(r[1]) : "") + " ("
                    + (r[1] - r[0] + 1) + (r[2] > 1 ? ", x" + r[2] : "") + ")");
        }
        return out;
    }

    private static void assertTally(SoftAssertions soft, Tally t, boolean noDuplicatesExpected) {
        soft.assertThat(t.sent).as(t.scenario + ": lines written").isPositive();
        soft.assertThat(t.lost).as(t.scenario + ": lost (written, never accepted, not dead-lettered): " + t.missing)
                .isZero();
        soft.assertThat(t.deadLettered).as(t.scenario + ": dead-lettered").isZero();
        soft.assertThat(t.foreign).as(t.scenario + ": accepted records with a trace id nobody wrote").isZero();
        if (noDuplicatesExpected) {
            soft.assertThat(t.duplicates).as(t.scenario + ": duplicates although nothing failed: " + t.duplicated)
                    .isZero();
        }
    }

    /** Prints and keeps the one-line summary: {@code ShipIT.<scenario>: sent=N received_distinct=N lost=L duplicates=D ...}. */
    private static void summary(Tally t, String extra) throws IOException {
        String line = "ShipIT." + t.scenario + ": sent=" + t.sent + " received_distinct=" + t.receivedDistinct
                + " lost=" + t.lost + " duplicates=" + t.duplicates + (t.deadLettered > 0 ? " dead_lettered="
                + t.deadLettered : "") + " " + extra + (t.missing.isEmpty() ? "" : " missing=" + t.missing)
                + (t.duplicated.isEmpty() ? "" : " duplicated=" + t.duplicated);
        System.out.println(line);
        Files.writeString(JarProcess.logDir().resolve("ShipIT-summary.txt"), line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<Request> ingestRequests(TestCollector c, int fromIndex) {
        return c.requests().stream().filter(r -> r.index() >= fromIndex && "/ingest".equals(r.path())).toList();
    }

    private static boolean anyInRange(Request r, long from, long to) {
        return r.traceIds().stream().mapToLong(LogWriter::seqOf).anyMatch(s -> s >= from && s <= to);
    }

    private static Set<String> rangeOnly(Set<String> ids, long from, long to) {
        Set<String> out = new TreeSet<>();
        for (String id : ids) {
            long s = LogWriter.seqOf(id);
            if (s >= from && s <= to) {
                out.add(id);
            }
        }
        return out;
    }

    private static void check(List<String> problems, Request r, String what, String expected, boolean ok) {
        if (!ok && problems.size() < 10) {
            problems.add(r + ": " + what + " expected " + expected + ", headers " + redact(r.headers()));
        }
    }

    /** Headers for a failure message, secret values cut to their first 4 characters. */
    private static Map<String, List<String>> redact(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.put(k, v.stream().map(x -> x.contains("SECRET")
                ? x.substring(0, Math.min(x.length(), 10)) + "…" : x).toList()));
        return out;
    }

    /**
     * Every ingest request has an X-Proxywatch-Batch-Id, and every attempt under one id carries the same records
     * (a retry is the same batch; a different batch, e.g. a 413 half, needs an id of its own).
     */
    private static List<String> batchIdProblems(List<Request> reqs) {
        List<String> problems = new ArrayList<>();
        Map<String, Request> firstById = new LinkedHashMap<>();
        for (Request r : reqs) {
            String id = r.batchId();
            if (id == null || !BATCH_ID.matcher(id).matches()) {
                problems.add(r + ": X-Proxywatch-Batch-Id missing or malformed: '" + id + "'");
                continue;
            }
            Request first = firstById.putIfAbsent(id, r);
            if (first != null && !first.traceIds().equals(r.traceIds())) {
                problems.add("batch id " + id + " reused for different records: " + first + " and " + r);
            }
            if (problems.size() >= 10) {
                break;
            }
        }
        return problems;
    }

    /** Batch ids answered non-2xx (from request {@code fromIndex} on) never accepted under that same id. */
    private static List<String> rejectedNeverAcceptedUnderSameId(TestCollector c, int fromIndex) {
        List<String> out = new ArrayList<>();
        c.batches().forEach((id, attempts) -> {
            if (attempts.get(0).request() >= fromIndex && attempts.stream().noneMatch(Attempt::ok)) {
                out.add(id);
            }
        });
        return out;
    }

    /** Each accepted record equals what was written: timestamp, level, service, message, trace id, fields, source. */
    private static List<String> recordContentProblems(TestCollector c, long from, long to) throws IOException {
        List<String> problems = new ArrayList<>();
        long bad = 0;
        for (long seq = from; seq <= to; seq++) {
            String id = LogWriter.traceId(seq);
            String json = c.record(id);
            if (json == null) {
                continue; // counted as lost elsewhere
            }
            JsonNode got = JSON.readTree(json);
            JsonNode want = JSON.readTree(LogWriter.line(seq));
            List<String> diff = new ArrayList<>();
            for (String k : List.of("level", "service", "message", "trace_id", "method", "path", "client_ip")) {
                if (!want.path(k).asText().equals(got.path(k).asText(null))) {
                    diff.add(k);
                }
            }
            if (want.path("status").asInt() != got.path("status").asInt(-1)) {
                diff.add("status");
            }
            try {
                if (!OffsetDateTime.parse(got.path("timestamp").asText("")).toInstant()
                        .equals(Instant.parse(want.path("timestamp").asText()))) {
                    diff.add("timestamp");
                }
            } catch (RuntimeException e) {
                diff.add("timestamp");
            }
            if (!got.path("source").path("file").asText("").endsWith("app.log")
                    || !got.path("source").path("offset").isIntegralNumber()) {
                diff.add("source");
            }
            if (!diff.isEmpty()) {
                bad++;
                if (problems.size() < 5) {
                    problems.add(id + " differs in " + diff + ": " + json);
                }
            }
        }
        if (bad > problems.size()) {
            problems.add("… " + bad + " records in all");
        }
        return problems;
    }

    private static void assertNoSecrets(SoftAssertions soft, JarProcess jar, String... secrets) {
        String out = jar.output();
        for (String s : secrets) {
            soft.assertThat(out.contains(s)).as("a secret (" + s.substring(0, 8) + "…) appears in the output of "
                    + jar.label() + " (" + JarProcess.logDir() + ")").isFalse();
        }
    }

    /** The line of {@code text} holding {@code index}, cut to 400 characters. */
    private static String lineAround(String text, int index) {
        int start = text.lastIndexOf('\n', index) + 1;
        int end = text.indexOf('\n', index);
        String line = text.substring(start, end < 0 ? text.length() : end).strip();
        return line.length() > 400 ? line.substring(0, 400) + "…" : line;
    }

    private static long secs(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e9);
    }

    /**
     * A file proxywatch keeps about shipping (spool or dead-letter), read as text (gunzipped when it is gzip):
     * the trace ids it holds, and its JSON when it is one JSON document.
     */
    static final class StoredFile {
        final Path path;
        final String text;
        final JsonNode json;
        final Set<String> traceIds = new TreeSet<>();

        private StoredFile(Path path, String text, JsonNode json) {
            this.path = path;
            this.text = text;
            this.json = json;
            Matcher m = TRACE_IN_TEXT.matcher(text);
            while (m.find()) {
                traceIds.add(m.group(1));
            }
        }

        static StoredFile read(Path p) throws IOException {
            byte[] b = Files.readAllBytes(p);
            if (b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
                try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
                    b = in.readAllBytes();
                } catch (IOException e) {
                    // partly written: keep the raw bytes
                }
            }
            String text = new String(b, StandardCharsets.UTF_8);
            JsonNode json = null;
            try {
                json = JSON.readTree(text);
            } catch (IOException e) {
                // not one JSON document (NDJSON, partial, ...): trace ids come from the text
            }
            return new StoredFile(p, text, json);
        }

        /** Every regular file under {@code dir} (none if it does not exist). */
        static List<StoredFile> readAll(Path dir) throws IOException {
            List<StoredFile> out = new ArrayList<>();
            if (!Files.isDirectory(dir)) {
                return out;
            }
            List<Path> files = null;
            // a file that goes away while listing (the spool's temporary file renamed, a batch replayed) fails the
            // walk: list again, or a caller that reads once (the spool at recovery) saw an empty spool
            for (int attempt = 0; files == null; attempt++) {
                try (Stream<Path> s = Files.walk(dir)) {
                    files = s.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList();
                } catch (java.io.UncheckedIOException e) {
                    if (attempt == 20) {
                        throw e.getCause();
                    }
                }
            }
            for (Path p : files) {
                try {
                    out.add(read(p));
                } catch (java.nio.file.NoSuchFileException e) {
                    // replayed and deleted meanwhile
                }
            }
            return out;
        }

        /** Files under {@code dir} that hold at least one trace id (a lock or index file does not count). */
        static int count(Path dir) throws IOException {
            return (int) readAll(dir).stream().filter(f -> !f.traceIds.isEmpty()).count();
        }

        static Set<String> traceIds(List<StoredFile> files) {
            Set<String> out = new HashSet<>();
            files.forEach(f -> out.addAll(f.traceIds));
            return out;
        }

        String head() {
            return text.length() > 400 ? text.substring(0, 400) + "…" : text;
        }

        @Override
        public String toString() {
            return path.getFileName() + " (" + traceIds.size() + " trace ids)";
        }
    }
}
