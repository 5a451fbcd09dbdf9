package io.proxywatch.parse;

import io.proxywatch.record.LogRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The labelled corpus (a copy of ../shared/corpus in src/test/resources/corpus, Combined Log Format): every line
 * must become an access record, since a line the parser loses is an attack the detectors never see.
 */
class CorpusTest {
    private static final Path CORPUS = Path.of("src", "test", "resources", "corpus");

    @ParameterizedTest
    @ValueSource(strings = {"real-access.log", "crs-attacks.log"})
    void everyCorpusLineIsAnAccessRecord(String name) throws IOException {
        Path file = CORPUS.resolve(name);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        RecordParser p = new RecordParser("auto", null);
        for (String line : lines) {
            LogRecord r = p.parse(line, name, 0);
            assertThat(r.isParseError()).as(line).isFalse();
            assertThat(r.getFormat()).isEqualTo("clf");
            assertThat(r.isAccess()).as(line).isTrue();
            assertThat(r.getMethod()).as(line).isNotNull();
            assertThat(r.getPath()).as(line).isNotNull();
        }
        assertThat(p.parseErrors()).isZero();
    }
}
