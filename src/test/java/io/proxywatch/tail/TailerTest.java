package io.proxywatch.tail;

import io.proxywatch.testkit.MutableClock;

import io.proxywatch.config.KnownSettings;
import io.proxywatch.config.ProxywatchConfiguration;
import io.proxywatch.config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TailerTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private Tailer tailer;

    @AfterEach
    void close() throws IOException {
        if (tailer != null) {
            tailer.close();
        }
    }

    private Path logs() throws IOException {
        return Files.createDirectories(dir.resolve("logs"));
    }

    /** The packaged defaults (application.properties), on this test's folders, with some keys overridden. */
    private TailSettings settings(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        KnownSettings.load().options().forEach(o -> values.put(o.key(), o.defaultValue()));
        values.put("proxywatch.input.paths", dir.resolve("logs") + "/*.log");
        values.put("proxywatch.data-dir", dir.resolve("state").toString());
        values.put("proxywatch.input.start-at", "beginning");
        // the clock is advanced by these in the tests: pinned, so a changed default cannot make a test vacuous
        values.put("proxywatch.input.partial-line-flush-ms", "2000");
        values.put("proxywatch.input.rescan-interval-ms", "1000");
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return ProxywatchConfiguration.tailSettings(new Settings(values::get));
    }

    private Tailer start(TailSettings s) throws IOException {
        tailer = new Tailer(s, clock);
        tailer.start();
        return tailer;
    }

    private void restart(TailSettings s) throws IOException {
        tailer.close();
        start(s);
    }

    /** Polls until nothing is left, completing every chunk; returns the lines in order. */
    private List<RawLine> drain() throws IOException {
        List<RawLine> out = new ArrayList<>();
        Tailer.Ticket t;
        while ((t = tailer.poll()) != null) {
            out.addAll(t.chunk().lines());
            t.receipt().complete();
        }
        return out;
    }

    /** The file emptied in place and written anew with {@code lines}, as logrotate's copytruncate does. */
    private static void copyTruncated(Path log, String lines) throws IOException {
        Files.write(log, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
        append(log, lines);
    }

    /** Fails the ticket's chunk: the next poll backs off (a second) before reading it again. */
    private void failed(Tailer.Ticket t) throws IOException {
        t.receipt().fail();
        assertThat(tailer.poll()).as("backing off").isNull();
    }

    /** Each line of the ticket's chunk as "text=whether it is read again". */
    private static List<String> replayMarks(Tailer.Ticket t) {
        return t.chunk().lines().stream().map(l -> l.text() + "=" + t.chunk().replays(l)).toList();
    }

    /** Polls after letting idle timeouts and rescans pass. */
    private List<RawLine> drainAfterIdle() throws IOException {
        clock.advance(60_000);
        List<RawLine> out = drain();
        clock.advance(60_000);
        out.addAll(drain());
        return out;
    }

    /**
     * Drains, again and again on the real clock, until at least {@code n} lines came: what the OS's notification of a
     * new file brings in, within milliseconds, but on a thread of the JDK's own.
     */
    private List<RawLine> drainUntil(int n) {
        List<RawLine> out = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
            out.addAll(drain());
            return out.size() >= n;
        });
        return out;
    }

    private static List<String> texts(List<RawLine> lines) {
        return lines.stream().map(RawLine::text).toList();
    }

    private static void append(Path file, String text) throws IOException {
        append(file, text, StandardCharsets.UTF_8);
    }

    private static void append(Path file, String text, Charset cs) throws IOException {
        Files.write(file, text.getBytes(cs), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void readsAppendedLinesWithTheirOffsets() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "one\ntwo\n");
        start(settings());
        List<RawLine> lines = drain();
        assertThat(texts(lines)).containsExactly("one", "two");
        assertThat(lines.get(1).offset()).isEqualTo(4);
        append(log, "three\n");
        assertThat(texts(drain())).containsExactly("three");
    }

    @Test
    void startAtEndSkipsWhatWasThereAtTheVeryFirstStartOnly() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "old\nhalf-writ");
        start(settings("proxywatch.input.start-at", "end"));
        assertThat(drain()).isEmpty();
        append(log, "ten\nnew\n");
        // the line being written at start-up is finished from its beginning, never cut in half
        assertThat(texts(drain())).containsExactly("half-written", "new");
        Path later = logs().resolve("later.log");
        append(later, "from the beginning\n");
        clock.advance(2_000);
        assertThat(texts(drain())).containsExactly("from the beginning");
    }

    @Test
    void resumesFromTheCheckpointAfterARestart() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "a\nb\n");
        start(settings());
        assertThat(texts(drain())).containsExactly("a", "b");
        tailer.close();
        append(log, "c\n");
        start(settings("proxywatch.input.start-at", "end"));
        assertThat(texts(drain())).containsExactly("c");
    }

    @Test
    void anUncompletedChunkIsReadAgainAfterARestart() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "a\nb\n");
        start(settings());
        Tailer.Ticket t = tailer.poll();
        assertThat(texts(t.chunk().lines())).containsExactly("a", "b");
        restart(settings()); // no complete(): as if killed mid-exchange
        assertThat(texts(drain())).containsExactly("a", "b");
    }

    @Test
    void aFailedChunkIsReadAgainAfterABackOff() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "a\nb\n");
        start(settings());
        failed(tailer.poll());
        clock.advance(1_000);
        assertThat(texts(drain())).containsExactly("a", "b");
    }

    @Test
    void linesReadAgainAfterAFailureAreMarkedAsHandedOnBefore() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "a\nb\n");
        start(settings());
        Tailer.Ticket first = tailer.poll();
        assertThat(replayMarks(first)).containsExactly("a=false", "b=false");
        append(log, "c\n");
        failed(first);
        clock.advance(1_000);
        Tailer.Ticket again = tailer.poll();
        assertThat(replayMarks(again)).containsExactly("a=true", "b=true", "c=false");

        // the file truncated and written anew: nothing of it was handed on
        again.receipt().complete();
        copyTruncated(log, "d\n");
        assertThat(replayMarks(tailer.poll())).containsExactly("d=false");
    }

    @Test
    void aFileTruncatedWhileAFailedChunkWaitsIsReadAsNewLines() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "a1\nb1\n");
        // no rescan meanwhile, which would notice the new content by its fingerprint
        start(settings("proxywatch.input.rescan-interval-ms", "600000"));
        failed(tailer.poll()); // to be read from offset 0 again
        copyTruncated(log, "c\n");
        clock.advance(1_000);
        assertThat(replayMarks(tailer.poll())).containsExactly("c=false");
    }

    /** With chunks in flight behind the one that fails, every line handed on is marked when read again. */
    @Test
    void linesOfChunksInFlightBehindAFailedOneAreMarkedToo() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "a\nb\nc\n");
        start(settings("proxywatch.input.chunk.max-lines", "1"));
        Tailer.Ticket first = tailer.poll();
        Tailer.Ticket second = tailer.poll();
        assertThat(texts(second.chunk().lines())).containsExactly("b");
        failed(first);
        clock.advance(1_000);
        List<String> again = new ArrayList<>();
        for (Tailer.Ticket t; (t = tailer.poll()) != null; t.receipt().complete()) {
            again.addAll(replayMarks(t));
        }
        assertThat(again).containsExactly("a=true", "b=true", "c=false");
    }

    @Test
    void aReceiptKeepsNoneOfItsChunksLines() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "a\nb\n");
        start(settings());
        Tailer.Ticket t = tailer.poll();
        long end = t.chunk().endOffset();
        WeakReference<Chunk> lines = new WeakReference<>(t.chunk());
        // what the stages keep until the collector answers: the chunk's lines must be free to go before that
        Tailer.Receipt receipt = t.receipt();
        t = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return lines.get() == null;
        });
        receipt.complete();
        assertThat(tailer.status().get(0).committedOffset()).isEqualTo(end);
    }

    @Test
    void checkpointMovesOnlyOverAGapFreePrefixOfCompletedChunks() throws IOException {
        Path log = logs().resolve("app.log");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            sb.append("line ").append(i).append('\n');
        }
        append(log, sb.toString());
        start(settings());
        Tailer.Ticket first = tailer.poll();
        Tailer.Ticket second = tailer.poll();
        second.receipt().complete();
        assertThat(tailer.status().get(0).committedOffset()).isZero();
        first.receipt().complete();
        assertThat(tailer.status().get(0).committedOffset()).isEqualTo(second.chunk().endOffset());
    }

    @Test
    void renameAndCreateFinishesTheOldFileThenFollowsTheNewOne() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "1\n");
        start(settings());
        assertThat(texts(drain())).containsExactly("1");
        append(log, "2\n");
        Files.move(log, logs().resolve("app.log.1"));   // no longer matches *.log
        append(log, "3\n");
        List<RawLine> lines = drainAfterIdle();
        assertThat(texts(lines)).containsExactlyInAnyOrder("2", "3");
        assertThat(tailer.status()).hasSize(1); // the rotated file was released
        append(log, "4\n");
        assertThat(texts(drainAfterIdle())).containsExactly("4");
    }

    /**
     * Windows gives no file key: an empty log (a rotation's new file) must stay one followed file through rescans.
     * It was taken for rotated at every rescan and followed again: its lines were handed on twice, and a checkpoint
     * was added each second.
     */
    @Test
    void withoutFileKeysAnEmptyLogIsFollowedOnce() throws IOException {
        FileIdentity.osKeys = false;
        try {
            Path log = logs().resolve("app.log");
            Files.createFile(log);
            start(settings());
            for (int i = 0; i < 3; i++) {
                clock.advance(1001);
                assertThat(drain()).isEmpty();
            }
            append(log, "1\n2\n3\n");
            List<RawLine> lines = new ArrayList<>(drain());
            clock.advance(500);
            lines.addAll(drain());
            clock.advance(1001);
            lines.addAll(drain());
            assertThat(texts(lines)).containsExactly("1", "2", "3");
            assertThat(tailer.status()).hasSize(1);
        } finally {
            FileIdentity.osKeys = true;
        }
    }

    /** Without file keys a rotation is still told by the first bytes: the old file is finished, the new one read. */
    @Test
    void withoutFileKeysRenameAndCreateFinishesTheOldFileThenFollowsTheNewOne() throws IOException {
        FileIdentity.osKeys = false;
        try {
            Path log = logs().resolve("app.log");
            append(log, "1\n");
            start(settings());
            assertThat(texts(drain())).containsExactly("1");
            append(log, "2\n");
            Files.move(log, logs().resolve("app.log.1"));
            append(log, "3\n");
            assertThat(texts(drainAfterIdle())).containsExactlyInAnyOrder("2", "3");
            append(log, "4\n");
            assertThat(texts(drainAfterIdle())).containsExactly("4");
        } finally {
            FileIdentity.osKeys = true;
        }
    }

    @Test
    void aRotatedLogsNewFileIsFollowedWithoutWaitingForTheNextRescan() throws IOException {
        // a rescan an hour away, and a clock that moves a fraction of a second: only the folder's notification
        // of a new file can bring the new file in
        Path log = logs().resolve("app.log");
        append(log, "1\n");
        start(settings("proxywatch.input.rescan-interval-ms", "3600000"));
        assertThat(texts(drain())).containsExactly("1");
        append(log, "2\n");
        Files.move(log, logs().resolve("app.log.1"));   // rename and create, as logrotate and lumberjack do
        append(log, "3\n");
        clock.advance(200);
        assertThat(texts(drainUntil(2))).containsExactly("2", "3");
        assertThat(tailer.status()).extracting(FileStatus::path).contains(log.toString());
    }

    @Test
    void aNewLogInAWatchedFolderIsFollowedWithoutWaitingForTheNextRescan() throws IOException {
        Files.createDirectories(logs());
        start(settings("proxywatch.input.rescan-interval-ms", "3600000"));
        assertThat(drain()).isEmpty();
        append(logs().resolve("late.log"), "hello\n");
        append(logs().resolve("notes.txt"), "not matched\n");
        clock.advance(200);
        assertThat(texts(drainUntil(1))).containsExactly("hello");
    }

    @Test
    void aRenamedFileStillMatchingTheGlobIsNotReadTwice() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "1\n2\n");
        start(settings());
        drain();
        Files.move(log, logs().resolve("app-old.log")); // matches *.log
        append(log, "3\n");
        assertThat(texts(drainAfterIdle())).containsExactly("3");
    }

    @Test
    void aFileRenamedWhileStoppedIsFoundByIdentityAndFinished() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "1\n");
        start(settings());
        drain();
        tailer.close();
        append(log, "2\n");                                 // written before the rotation...
        Files.move(log, logs().resolve("app.log.1"));      // ...which happens while we are stopped
        append(log, "3\n");
        start(settings());
        assertThat(texts(drainAfterIdle())).containsExactlyInAnyOrder("2", "3");
    }

    @Test
    void copyTruncateStartsAgainFromZero() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "first line that is long enough\n");
        start(settings());
        drain();
        copyTruncated(log, "x\n");
        assertThat(texts(drainAfterIdle())).containsExactly("x");
    }

    @Test
    void deleteAndRecreateReadsTheNewFile() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "old content\n");
        start(settings());
        drain();
        Files.delete(log);
        append(log, "new content\n");
        assertThat(texts(drainAfterIdle())).containsExactly("new content");
    }

    @Test
    void aNewFileMatchingTheGlobIsReadFromItsBeginning() throws IOException {
        logs();
        start(settings("proxywatch.input.start-at", "end"));
        assertThat(drain()).isEmpty();
        append(logs().resolve("new.log"), "hello\n");
        append(dir.resolve("logs/ignored.txt"), "not matched\n");
        assertThat(texts(drainAfterIdle())).containsExactly("hello");
    }

    @Test
    void aMissingFolderIsWaitedFor() throws IOException {
        start(settings());
        assertThat(drain()).isEmpty();
        append(logs().resolve("app.log"), "late\n");
        assertThat(texts(drainAfterIdle())).containsExactly("late");
    }

    @Test
    void gbkIsDecoded() throws IOException {
        Charset gbk = Charset.forName("GBK");
        append(logs().resolve("app.log"), "用户登录失败\n第二行\n", gbk);
        start(settings("proxywatch.input.charset", "GBK"));
        assertThat(texts(drain())).containsExactly("用户登录失败", "第二行");
    }

    @Test
    void utf16leWithBomIsDecodedAndOffsetsAreBytes() throws IOException {
        Path log = logs().resolve("app.log");
        Files.write(log, new byte[] {(byte) 0xFF, (byte) 0xFE});
        append(log, "héllo\r\nwörld\n", StandardCharsets.UTF_16LE);
        start(settings()); // configured UTF-8: the BOM wins
        List<RawLine> lines = drain();
        assertThat(texts(lines)).containsExactly("héllo", "wörld");
        assertThat(lines.get(0).offset()).isEqualTo(2);
        assertThat(lines.get(1).offset()).isEqualTo(2 + 14);
    }

    @Test
    void utf16leWithoutBomWhenConfigured() throws IOException {
        append(logs().resolve("app.log"), "a\u0A0A\nb\n", StandardCharsets.UTF_16LE); // U+0A0A holds 0x0A bytes
        start(settings("proxywatch.input.charset", "UTF-16LE"));
        assertThat(texts(drain())).containsExactly("a\u0A0A", "b");
    }

    @Test
    void crlfIsStrippedAndInvalidUtf8Replaced() throws IOException {
        Path log = logs().resolve("app.log");
        Files.write(log, new byte[] {'o', 'k', '\r', '\n', 'b', (byte) 0xFF, (byte) 0xC3, 'd', '\n'});
        start(settings());
        assertThat(texts(drain())).containsExactly("ok", "b\uFFFD\uFFFDd");
    }

    @Test
    void aTenMegabyteLineIsCutAndFlaggedAndTheFileStillFollowed() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "before\n" + "x".repeat(10 * 1024 * 1024) + "\nafter\n");
        start(settings("proxywatch.input.max-line-bytes", "1048576"));
        List<RawLine> lines = drain();
        assertThat(texts(lines)).hasSize(3);
        assertThat(lines.get(1).truncated()).isTrue();
        assertThat(lines.get(1).text()).hasSize(1024 * 1024);
        assertThat(lines.get(2).text()).isEqualTo("after");
        assertThat(lines.get(2).offset()).isEqualTo(7 + 10 * 1024 * 1024 + 1);
        assertThat(tailer.status().get(0).truncatedLines()).isEqualTo(1);
    }

    @Test
    void aPartialLineIsHeldUntilItsNewlineArrives() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "{\"msg\":\"hal");
        start(settings());
        assertThat(drain()).isEmpty();
        append(log, "f\"}\n");
        assertThat(texts(drain())).containsExactly("{\"msg\":\"half\"}");
    }

    @Test
    void aPartialLineIsFlushedAfterTheIdleTimeoutAndNotRepeated() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "no newline ever");
        start(settings());
        assertThat(drain()).isEmpty();
        clock.advance(2_000);
        assertThat(texts(drain())).containsExactly("no newline ever");
        restart(settings());
        assertThat(drain()).isEmpty();
    }

    @Test
    void aGoPanicTraceIsJoinedToTheLineThatStartedIt() throws IOException {
        Path log = logs().resolve("app.log");
        String panic = "panic: runtime error: invalid memory address or nil pointer dereference\n"
                + "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4871d5]\n"
                + "\n"
                + "goroutine 1 [running]:\n"
                + "main.main()\n"
                + "\t/tmp/x.go:8 +0x15\n"
                + "exit status 2\n";
        append(log, "{\"level\":\"info\",\"msg\":\"before\"}\n" + panic + "{\"level\":\"info\",\"msg\":\"after\"}\n");
        start(settings());
        List<String> lines = texts(drain());
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("panic: runtime error").contains("goroutine 1 [running]:")
                .endsWith("exit status 2");
        assertThat(lines.get(2)).contains("after");
    }

    @Test
    void aPanicAtTheEndOfTheFileIsFlushedWhenIdleAndCheckpointedOnlyThen() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "2024/01/02 15:04:05 http: panic serving 127.0.0.1:5000: boom\n"
                + "goroutine 6 [running]:\nnet/http.(*conn).serve.func1()\n");
        start(settings());
        assertThat(drain()).isEmpty();
        restart(settings()); // nothing was checkpointed past the open trace
        assertThat(drain()).isEmpty();
        clock.advance(2_000);
        List<String> lines = texts(drain());
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("http: panic serving").contains("net/http.(*conn).serve.func1()");
    }

    @Test
    void inFlightChunksAreBoundedSoReadingPauses() throws IOException {
        Path log = logs().resolve("app.log");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            sb.append(i).append('\n');
        }
        append(log, sb.toString());
        start(settings("proxywatch.input.max-in-flight-chunks", "16", "proxywatch.input.chunk.max-lines", "1000"));
        List<Tailer.Ticket> held = new ArrayList<>();
        Tailer.Ticket t;
        while ((t = tailer.poll()) != null) {
            held.add(t);
        }
        assertThat(held).hasSize(16);
        held.forEach(h -> h.receipt().complete());
        assertThat(drain()).hasSize(30_000 - 16 * 1000);
    }

    /**
     * Lines a client can make long (a proxy logging the request's headers): a chunk stops at its share of the bytes
     * in flight, and reading pauses once the bytes in flight reach the limit, however few lines that is.
     */
    @Test
    void longLinesAreBoundedByTheirBytes() throws IOException {
        Path log = logs().resolve("app.log");
        String pad = "x".repeat(100_000);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append(i).append(' ').append(pad).append('\n');
        }
        append(log, sb.toString());
        start(settings("proxywatch.input.max-in-flight-chunks", "4",
                "proxywatch.input.max-in-flight-bytes", String.valueOf(1 << 20)));
        List<Tailer.Ticket> held = new ArrayList<>();
        Tailer.Ticket t;
        while ((t = tailer.poll()) != null) {
            held.add(t);
        }
        // a chunk's share is 256 KiB: three lines of 100 KB; the fourth chunk takes the bytes in flight past 1 MiB
        assertThat(held).hasSize(4).allSatisfy(h -> assertThat(h.chunk().lines()).hasSize(3));
        held.get(0).receipt().complete();
        Tailer.Ticket more = tailer.poll();
        assertThat(more).as("a chunk acknowledged makes room for one more").isNotNull();
        assertThat(tailer.poll()).isNull();
        held.subList(1, 4).forEach(h -> h.receipt().complete());
        more.receipt().complete();
        List<RawLine> rest = drain();
        assertThat(rest).hasSize(40 - 5 * 3);
        assertThat(rest.get(0).text()).startsWith("15 xxx");
    }

    /** A line longer than the whole limit still goes on, alone: the bytes in flight never stop the tailer for good. */
    @Test
    void aLineLongerThanTheBytesInFlightStillGoesOnAlone() throws IOException {
        Path log = logs().resolve("app.log");
        String huge = "y".repeat(1_500_000);
        append(log, "a " + huge + "\nb " + huge + "\nc\n");
        start(settings("proxywatch.input.max-in-flight-bytes", String.valueOf(1 << 20)));
        Tailer.Ticket first = tailer.poll();
        assertThat(first.chunk().lines()).singleElement().satisfies(l -> assertThat(l.truncated()).isTrue());
        assertThat(tailer.poll()).as("1.5 MB in flight, over the limit: reading waits").isNull();
        first.receipt().complete();
        Tailer.Ticket second = tailer.poll();
        assertThat(second.chunk().lines()).singleElement().satisfies(l -> assertThat(l.text()).startsWith("b yyy"));
        second.receipt().complete();
        assertThat(texts(drain())).containsExactly("c");
    }

    /** A slow log gives a small chunk per poll: the limit counts their lines, not how many chunks there are. */
    @Test
    void smallChunksAreBoundedByTheirLinesNotTheirNumber() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "line 0\n");
        start(settings("proxywatch.input.max-in-flight-chunks", "2", "proxywatch.input.chunk.max-lines", "10"));
        List<Tailer.Ticket> held = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            Tailer.Ticket t = tailer.poll();
            if (t != null) {
                held.add(t);
            }
            append(log, "line " + i + "\n");
        }
        assertThat(held).as("2 chunks' worth of lines (20) in flight, one line a chunk").hasSize(20);
        held.get(0).receipt().complete();
        Tailer.Ticket next = tailer.poll();
        assertThat(next).as("one line acknowledged makes room for one more").isNotNull();
        assertThat(next.chunk().lines()).hasSize(6); // lines 20-25, appended while reading was paused
        assertThat(tailer.poll()).isNull();
    }

    /** Each chunk carries an exchange whatever its size: one-line chunks are capped in number too. */
    @Test
    void oneLineChunksAreCappedInNumber() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, "line 0\n");
        start(settings("proxywatch.input.max-in-flight-chunks", "2", "proxywatch.input.chunk.max-lines", "1000"));
        int handedOn = 0;
        for (int i = 1; i <= 200; i++) {
            if (tailer.poll() != null) {
                handedOn++;
            }
            append(log, "line " + i + "\n");
        }
        assertThat(handedOn).isEqualTo(2 * Tailer.SMALL_CHUNKS_PER_CHUNK);
    }

    /**
     * Held back by the in-flight limit, the reader waits for a chunk to complete, not for a poll interval: with a
     * few chunks in flight, sleeping out the interval each time they filled left the pipeline idle.
     */
    @Test
    void aReaderHeldBackByTheLimitResumesWhenAChunkCompletes() throws Exception {
        Tailer.Ticket first = heldBackBehindTheFirstOf("a\nb\nc\n");
        Thread reader = pausing(60_000);
        first.receipt().complete();
        await().atMost(Duration.ofSeconds(30)).until(() -> !reader.isAlive()); // not the minute's poll interval
        assertThat(texts(tailer.poll().chunk().lines())).containsExactly("b");
    }

    /** A chunk that fails wakes the reader too: it has that chunk to read again. */
    @Test
    void aReaderHeldBackByTheLimitResumesWhenAChunkFails() throws Exception {
        Tailer.Ticket first = heldBackBehindTheFirstOf("a\nb\n");
        Thread reader = pausing(60_000);
        first.receipt().fail();
        await().atMost(Duration.ofSeconds(30)).until(() -> !reader.isAlive());
    }

    /** Starts reading one line at a time, one line in flight at most. */
    private void startOneLineInFlight() throws IOException {
        start(settings("proxywatch.input.max-in-flight-chunks", "1", "proxywatch.input.chunk.max-lines", "1"));
    }

    /** Appends {@code lines}, reads the first and returns its ticket, the next poll held back by the limit. */
    private Tailer.Ticket heldBackBehindTheFirstOf(String lines) throws IOException {
        append(logs().resolve("app.log"), lines);
        startOneLineInFlight();
        Tailer.Ticket first = tailer.poll();
        assertThat(tailer.poll()).as("one line in flight: held back").isNull();
        return first;
    }

    /** A thread that calls {@code tailer.pause(ms)} after the test thread's poll, and ends when it returns. */
    private Thread pausing(long ms) {
        Thread t = new Thread(() -> {
            try {
                tailer.pause(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pausing");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A completion between the poll that was held back and the wait is not missed. */
    @Test
    void aCompletionBeforeThePauseIsNotMissed() throws Exception {
        Tailer.Ticket first = heldBackBehindTheFirstOf("a\nb\n");
        first.receipt().complete();
        long t0 = System.nanoTime();
        tailer.pause(60_000);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(30_000L);
        assertThat(texts(tailer.poll().chunk().lines())).containsExactly("b");
    }

    /** With nothing in flight and nothing new, the pause is the poll interval: the log is what we wait for. */
    @Test
    void aReaderWithNothingToReadPausesThePollInterval() throws Exception {
        append(logs().resolve("app.log"), "a\n");
        startOneLineInFlight();
        tailer.poll().receipt().complete();
        assertThat(tailer.poll()).isNull();
        long t0 = System.nanoTime();
        tailer.pause(300);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(290L);
    }

    @Test
    void secondTailerOnTheSameStateFolderIsRefused() throws IOException {
        start(settings());
        Tailer other = new Tailer(settings(), clock);
        org.assertj.core.api.Assertions.assertThatThrownBy(other::start)
                .hasMessageContaining("another proxywatch is already using the state folder");
    }
}
