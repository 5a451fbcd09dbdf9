package io.proxywatch.parse;

import io.proxywatch.record.LogRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every line of every real sample is recognised as its format, both auto-detected and when the format is named. */
class FormatSamplesTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "caddy-access.log, caddy",
            "traefik-access.log, traefik",
            "slog-json.log, slog",
            "slog-text.log, logfmt",
            "zap.log, zap",
            "logrus.log, logrus",
            "zerolog.log, zerolog",
            "golog.log, golog",
            "clf.log, clf",
            "structured.log, json",
    })
    void everyLineIsDetectedAsItsFormat(String file, String format) {
        RecordParser auto = new RecordParser("auto", "edge");
        RecordParser named = new RecordParser(format, "edge");
        List<String> lines = Samples.lines(file);
        assertThat(lines).isNotEmpty();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            LogRecord a = auto.parse(line, file, i);
            assertThat(a.isParseError()).as("auto, line %d: %s", i + 1, line).isFalse();
            assertThat(a.getFormat()).as("auto, line %d", i + 1).isEqualTo(format);
            assertThat(a.getRaw()).isEqualTo(line);
            assertThat(a.getSourceFile()).isEqualTo(file);
            assertThat(a.getSourceOffset()).isEqualTo(i);
            assertThat(a.getTimestamp()).isNotNull();
            assertThat(a.getMessage()).isNotNull();

            LogRecord n = named.parse(line, file, i);
            assertThat(n.isParseError()).as("named, line %d", i + 1).isFalse();
            assertThat(n.getFormat()).isEqualTo(format);
            assertThat(n.getLevel()).isEqualTo(a.getLevel());
            assertThat(n.getMessage()).isEqualTo(a.getMessage());
            assertThat(n.getStatus()).isEqualTo(a.getStatus());
        }
        assertThat(auto.parseErrors()).isZero();
        assertThat(named.parseErrors()).isZero();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "caddy-runtime.log, 1, zap",
            "caddy-runtime.log, 2, zap",
            "caddy-runtime.log, 10, caddy",
            "caddy-runtime.log, 12, zap",
    })
    void caddysOwnRuntimeLogIsZap(String file, int line, String format) {
        LogRecord r = new RecordParser("auto", null).parse(Samples.line(file, line), file, 0);
        assertThat(r.isParseError()).isFalse();
        assertThat(r.getFormat()).isEqualTo(format);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"caddy-access.log", "traefik-access.log", "clf.log"})
    void proxyAccessLogsAreAccessRecords(String file) {
        RecordParser p = new RecordParser("auto", null);
        for (String line : Samples.lines(file)) {
            LogRecord r = p.parse(line, file, 0);
            assertThat(r.isAccess()).as(line).isTrue();
            assertThat(r.getClientIp()).as(line).isNotBlank();
        }
    }
}
