package io.proxywatch.ship;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxywatch.record.Jackson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLettersTest {
    @TempDir
    Path dir;

    /**
     * The records a collector refused are kept as they were sent, whatever they are: one nested deeper than a
     * parser takes (a log line nested 999 levels renders 1,001 deep) and one cut short (a damaged spool file).
     * Both made the dead letter throw, so the batch's lines were read and sent again, for good.
     */
    @Test
    void recordsAreKeptAsSentEvenWhenNoParserTakesThem() throws Exception {
        String deep = "{\"a\":" + "[".repeat(1_500) + "1" + "]".repeat(1_500) + "}";
        String cut = "{\"trace_id\":\"t-2\",\"message\":\"cut sh";
        List<byte[]> records = new ArrayList<>();
        records.add("{\"trace_id\":\"t-1\"}".getBytes(StandardCharsets.UTF_8));
        records.add(deep.getBytes(StandardCharsets.UTF_8));
        records.add(cut.getBytes(StandardCharsets.UTF_8));
        ShipStats stats = new ShipStats();
        new DeadLetters(dir, stats).write(new Batch("b-1", records, new ArrayList<>()), new RuntimeException("400"));

        String file = Files.readString(dir.resolve("b-1.json"));
        assertThat(file).contains(deep);
        JsonNode doc = Jackson.mapper().readTree(file.replace(deep, "\"deep\"")); // the file is JSON, deep or not
        assertThat(doc.get("records")).hasSize(2);
        assertThat(doc.get("records").get(0).get("trace_id").asText()).isEqualTo("t-1");
        assertThat(doc.get("unparsed_records")).singleElement().extracting(JsonNode::asText).isEqualTo(cut);
        assertThat(stats.recordsDeadLettered.get()).isEqualTo(3);
    }

    @Test
    void onlyOneWholeJsonValueCountsAsARecord() {
        assertThat(DeadLetters.isOneJsonValue("{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(DeadLetters.isOneJsonValue("{\"a\":1} {".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(DeadLetters.isOneJsonValue("".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(DeadLetters.isOneJsonValue("{\"a\":".getBytes(StandardCharsets.UTF_8))).isFalse();
    }
}
