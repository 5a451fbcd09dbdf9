package io.proxywatch.parse;

import io.proxywatch.record.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Lines no format understands are kept, flagged and counted; nothing throws and nothing is dropped. */
class UnparseableLinesTest {
    private final RecordParser auto = new RecordParser("auto", "svc");

    private LogRecord kept(RecordParser p, String line) {
        LogRecord r = p.parse(line, "f.log", 42);
        assertThat(r).isNotNull();
        assertThat(r.getRaw()).isEqualTo(line);
        assertThat(r.getSourceFile()).isEqualTo("f.log");
        assertThat(r.getSourceOffset()).isEqualTo(42);
        assertThat(r.getTimestamp()).isCloseTo(Instant.now(), within(10, ChronoUnit.SECONDS));
        assertThat(r.getService()).isEqualTo("svc");
        assertThat(r.isParseError()).as("parse error for %s", line).isTrue();
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"level\":\"info\",\"msg\":\"unterminated",
            "{\"level\":\"info\",\"msg\":\"x\"",
            "{\"level\":\"info\",\"msg\":\"x\"} trailing",
            "{not json at all}",
            "{\"a\":{\"b\":[1,2,",
            "[1,2,3]",
            "just some words",
            "-",
    })
    void malformedLinesAreKeptAsTheirText(String line) {
        LogRecord r = kept(auto, line);
        assertThat(r.getMessage()).isEqualTo(line);
        assertThat(r.getLevel()).isEqualTo("INFO");
        assertThat(r.getFields()).isEmpty();
        assertThat(r.isAccess()).isFalse();
    }

    @Test
    void truncatedJsonLineCutMidway() {
        String full = Samples.line("caddy-access.log", 1);
        for (int cut : new int[] {1, 10, full.length() / 2, full.length() - 1}) {
            String line = full.substring(0, cut);
            LogRecord r = kept(auto, line);
            assertThat(r.getMessage()).isEqualTo(line);
        }
        assertThat(auto.parseErrors()).isEqualTo(4);
    }

    @Test
    void levelIsSniffedFromTheText() {
        assertThat(kept(auto, "ERROR something broke badly").getLevel()).isEqualTo("ERROR");
        assertThat(kept(auto, "[warn] disk almost full").getLevel()).isEqualTo("WARN");
        assertThat(kept(auto, "E1125 12:00:00 worker.go:10] FATAL out of memory").getLevel()).isEqualTo("FATAL");
        assertThat(kept(auto, "an error happened somewhere").getLevel()).isEqualTo("INFO");
    }

    @Test
    void binaryJunkIsKeptWithControlCharactersReplaced() {
        byte[] bytes = new byte[512];
        new Random(7).nextBytes(bytes);
        bytes[0] = 'x'; // not '{', so no format claims it
        String junk = new String(bytes, StandardCharsets.ISO_8859_1).replace('\n', ' ').replace('\r', ' ');
        LogRecord r = kept(auto, junk);
        assertThat(r.getMessage()).hasSize(junk.length());
        assertThat(r.getMessage().chars()).noneMatch(c -> c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f);
        assertThat(r.getMessage()).contains("\uFFFD");
    }

    @Test
    void invalidUtf8DecodedToReplacementCharactersStillParses() {
        byte[] bytes = "{\"level\":\"warn\",\"msg\":\"bad \u00ff bytes\",\"time\":\"2026-11-25T12:00:00Z\"}"
                .getBytes(StandardCharsets.ISO_8859_1);
        String decoded = new String(bytes, StandardCharsets.UTF_8); // 0xFF is not UTF-8: U+FFFD
        assertThat(decoded).contains("\uFFFD");
        LogRecord r = auto.parse(decoded, "f", 0);
        assertThat(r.isParseError()).isFalse();
        assertThat(r.getMessage()).isEqualTo("bad \uFFFD bytes");
        assertThat(r.getLevel()).isEqualTo("WARN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", "\r", "\r\n", "   \r"})
    void emptyishLinesAreKeptAsEmptyParseErrors(String line) {
        LogRecord r = kept(auto, line);
        assertThat(r.getMessage()).isEmpty();
    }

    @Test
    void nullLineIsReadAsEmpty() {
        LogRecord r = auto.parse(null, "f", 0);
        assertThat(r.isParseError()).isTrue();
        assertThat(r.getRaw()).isEmpty();
    }

    @Test
    void trailingCarriageReturnIsStripped() {
        String line = Samples.line("slog-json.log", 1);
        LogRecord r = auto.parse(line + "\r", "f", 0);
        assertThat(r.isParseError()).isFalse();
        assertThat(r.getMessage()).isEqualTo("order placed");
        assertThat(r.getRaw()).isEqualTo(line + "\r");

        LogRecord text = auto.parse(Samples.line("slog-text.log", 4) + "\r", "f", 0);
        assertThat(text.isParseError()).isFalse();
        assertThat(text.getBytes()).isEqualTo(88211L);

        LogRecord clf = auto.parse(Samples.line("clf.log", 3) + "\r", "f", 0);
        assertThat(clf.isParseError()).isFalse();
        assertThat(clf.getUserAgent()).isNull();

        LogRecord go = auto.parse(Samples.line("golog.log", 1) + "\r", "f", 0);
        assertThat(go.getMessage()).isEqualTo("listening on :8080");
    }

    @Test
    void byteOrderMarkOnTheFirstLineIsIgnored() {
        LogRecord r = auto.parse("\uFEFF" + Samples.line("zap.log", 1), "f", 0);
        assertThat(r.isParseError()).isFalse();
        assertThat(r.getFormat()).isEqualTo("zap");
    }

    @Test
    void megabyteLineParsesOrIsFlaggedWithoutThrowing() {
        String big = "x".repeat(1 << 20);
        LogRecord json = auto.parse("{\"level\":\"info\",\"msg\":\"" + big + "\"}", "f", 0);
        assertThat(json.isParseError()).isFalse();
        assertThat(json.getMessage()).hasSize(1 << 20);

        LogRecord clf = auto.parse("1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /?" + big
                + " HTTP/1.1\" 200 1 \"-\" \"" + "\\\"".repeat(1000) + "\"", "f", 0);
        assertThat(clf.isParseError()).isFalse();
        assertThat(clf.getQuery()).hasSize(1 << 20);

        String junk = "\"".repeat(1 << 20);
        LogRecord j = auto.parse(junk, "f", 0);
        assertThat(j.isParseError()).isTrue();
        assertThat(j.getMessage()).isEqualTo(junk);

        LogRecord deep = auto.parse("{\"a\":" + "[".repeat(100_000), "f", 0);
        assertThat(deep.isParseError()).isTrue();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', value = {
            "clf     | slog-json.log",
            "golog   | caddy-access.log",
            "logfmt  | clf.log",
            "json    | clf.log",
            "caddy   | slog-json.log",
            "traefik | zap.log",
            "zap     | golog.log",
            "zerolog | slog-text.log",
            "slog    | zerolog.log",
    })
    void namedFormatThatDoesNotFitGivesParseError(String format, String file) {
        RecordParser p = new RecordParser(format, "svc");
        String line = Samples.line(file, 1);
        LogRecord r = kept(p, line);
        assertThat(r.getMessage()).isEqualTo(line);
        assertThat(r.getFields()).isEmpty();
        assertThat(r.isAccess()).isFalse();
        assertThat(p.parseErrors()).isEqualTo(1);
    }

    @Test
    void unknownFormatNameIsRejected() {
        assertThatThrownBy(() -> new RecordParser("nginx", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown format 'nginx'; one of auto, json, slog, zap, logrus, zerolog, caddy,")
                .hasMessageContaining("clf");
        assertThatThrownBy(() -> new RecordParser(null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RecordParser.FORMATS).contains("auto", "json", "slog", "zap", "logrus", "zerolog", "caddy",
                "traefik", "golog", "logfmt", "clf");
    }

    @Test
    void parseErrorCounterIsSharedAcrossThreads() throws InterruptedException {
        RecordParser p = new RecordParser("auto", null);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    p.parse("junk " + i, "f", i);
                    p.parse(Samples.line("zap.log", 1), "f", i);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(p.parseErrors()).isEqualTo(4000);
    }
}
