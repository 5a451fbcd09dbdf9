package io.proxywatch.parse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** The small value parsers every format shares: timestamps, levels, Go durations, logfmt. */
class ValueParsingTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "2026-11-25T12:00:00Z                | 2026-11-25T12:00:00Z",
            "2026-11-25T12:00:00.123Z            | 2026-11-25T12:00:00.123Z",
            "2026-11-25T12:00:00.097196435Z      | 2026-11-25T12:00:00.097196435Z",
            "2026-11-25T13:00:00+01:00           | 2026-11-25T12:00:00Z",
            "2026-11-25T06:30:00.5-05:30         | 2026-11-25T12:00:00.5Z",
            "2026-11-25T13:00:00+0100            | 2026-11-25T12:00:00Z",
            "2026-11-25 12:00:00Z                | 2026-11-25T12:00:00Z",
            "2026-11-25t12:00:00z                | 2026-11-25T12:00:00Z",
            "2026-11-25T12:00Z                   | 2026-11-25T12:00:00Z",
            "10/Oct/2000:13:55:36 -0700          | 2000-10-10T20:55:36Z",
            "17/May/2015:10:05:03 +0000          | 2015-05-17T10:05:03Z",
            "1700000000                          | 2023-11-14T22:13:20Z",
            "1700000000.123456                   | 2023-11-14T22:13:20.123456Z",
            "1700000000123                       | 2023-11-14T22:13:20.123Z",
    })
    void timestamps(String text, String expected) {
        assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a time", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-25T12:00:00+5",
            "2026-11-25T25:00:00Z", "32/Oct/2000:13:55:36 -0700", "10/Foo/2000:13:55:36 -0700", "12:00", "--"})
    void badTimestampsAreNull(String text) {
        assertThat(Timestamps.parse(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            "1795608138.518275, 2026-11-25T12:02:18.518275Z",
            "1700000000123,     2023-11-14T22:13:20.123Z",
            "1700000000123456,  2023-11-14T22:13:20.123456Z",
            "1700000000123456789, 2023-11-14T22:13:20.123456789Z",
    })
    void epochNumbers(String number, String expected) {
        Instant want = Instant.parse(expected);
        if (number.contains(".")) {
            assertThat(Timestamps.fromEpoch(Double.parseDouble(number))).isEqualTo(want);
        } else {
            assertThat(Timestamps.fromEpoch(Long.parseLong(number))).isEqualTo(want);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "2006/01/02 15:04:05, 0",
            "2006/01/02 15:04:05.123456, 123456000",
    })
    void goLogTimestampsAreLocalTime(String text, int nanos) {
        Instant want = LocalDateTime.of(2006, 1, 2, 15, 4, 5, nanos).atZone(ZoneId.systemDefault()).toInstant();
        assertThat(Timestamps.parse(text)).isEqualTo(want);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "info, INFO", "INFO, INFO", "warn, WARN", "warning, WARN", "WRN, WARN", "WARNING, WARN",
            "err, ERROR", "error, ERROR", "ERR, ERROR", "dpanic, ERROR", "fatal, FATAL", "panic, FATAL",
            "crit, FATAL", "critical, FATAL", "CRITICAL, FATAL", "debug, DEBUG", "DBG, DEBUG", "trace, TRACE",
            "INFO+2, INFO", "DEBUG-4, DEBUG", "notice, INFO", "Warning, WARN",
    })
    void levels(String name, String canonical) {
        assertThat(Levels.canonical(name)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "42", "+"})
    void unknownLevelsAreNull(String name) {
        assertThat(Levels.canonical(name)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"200, INFO", "301, INFO", "404, WARN", "429, WARN", "500, ERROR", "503, ERROR"})
    void levelFromStatus(int status, String level) {
        assertThat(Levels.fromStatus(status)).isEqualTo(level);
    }

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
            "12.5ms, 12.5", "1.2s, 1200", "850µs, 0.85", "850us, 0.85", "850\u03bcs, 0.85", "1500ns, 0.0015",
            "1m2.5s, 62500", "2h, 7200000", "0, 0", "0s, 0", "-1.5ms, -1.5",
    })
    void goDurations(String text, double ms) {
        assertThat(GoDurations.toMillis(text)).isCloseTo(ms, org.assertj.core.data.Offset.offset(1e-9));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"12", "ms", "1.2x", "abc", "1.2.3s"})
    void notGoDurations(String text) {
        assertThat(GoDurations.toMillis(text)).isNaN();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a=1 b=2                                  | b | 2",
            "msg=\"hello \\\"world\\\"\" x=1           | msg | hello \"world\"",
            "k=v=w other=1                            | k | v=w",
            "msg=\"\" empty=1                         | msg | ''",
    })
    void logfmtValues(String line, String key, String value) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        assertThat(LogfmtReader.read(line.strip(), m)).isTrue();
        assertThat(m).containsEntry(key, value.equals("''") ? "" : value);
    }

    @org.junit.jupiter.api.Test
    void logfmtGoEscapes() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        assertThat(LogfmtReader.read("msg=\"snow \\u2603 \\U0001F600 byte \\xff\" x=1", m)).isTrue();
        assertThat(m).containsEntry("msg", "snow \u2603 \uD83D\uDE00 byte \uFFFD").containsEntry("x", "1");
        m.clear();
        assertThat(LogfmtReader.read("msg=\"tab\\there\\nnew\" x=1", m)).isTrue();
        assertThat(m).containsEntry("msg", "tab\there\nnew");
    }

    /** slog's TextHandler quotes a key holding a space, '=' or a quote. */
    @org.junit.jupiter.api.Test
    void logfmtQuotedKeys() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        assertThat(LogfmtReader.read("level=ERROR msg=\"upstream failed\" \"user agent\"=curl \"a=b\"=1", m)).isTrue();
        assertThat(m).containsEntry("user agent", "curl").containsEntry("a=b", "1").containsEntry("level", "ERROR");
    }

    @ParameterizedTest
    @ValueSource(strings = {"msg=\"never closed", "just words here", "a=\"x\"y", "\"quoted\" x=1", "one two=2 three four"})
    void notLogfmt(String line) {
        assertThat(LogfmtReader.read(line, new java.util.LinkedHashMap<>())).isFalse();
    }
}
