package io.proxywatch.alert;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Evidence is kept short whatever the line: incidents hold it until they close. */
class AlertEventTest {
    private static AlertEvent withEvidence(String... lines) {
        Instant t = Instant.parse("2026-11-26T12:00:00Z");
        return new AlertEvent("sqli-union", "sqli", "high", AlertEvent.FIRING, "203.0.113.9", lines.length, t, t,
                "sqli from 203.0.113.9", List.of(lines));
    }

    @Test
    void aMegabyteLineIsKeptAsItsStartAndHowMuchWasCut() {
        String line = "GET /q?id=1 UNION SELECT " + "x".repeat(1_048_576);
        String kept = withEvidence(line).evidence().get(0);
        assertThat(kept).startsWith(line.substring(0, AlertEvent.MAX_EVIDENCE_CHARS))
                .endsWith("…(" + (line.length() - AlertEvent.MAX_EVIDENCE_CHARS) + " more characters)")
                .hasSizeLessThan(AlertEvent.MAX_EVIDENCE_CHARS + 40);
    }

    @Test
    void linesUpToTheLimitAreKeptWhole() {
        String exact = "a".repeat(AlertEvent.MAX_EVIDENCE_CHARS);
        AlertEvent e = withEvidence("GET /.env", exact);
        assertThat(e.evidence()).containsExactly("GET /.env", exact);
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        // a 4-byte character (U+1F600) straddling the limit goes whole to the cut part
        String line = "a".repeat(AlertEvent.MAX_EVIDENCE_CHARS - 1) + "\uD83D\uDE00" + "tail";
        String kept = withEvidence(line).evidence().get(0);
        assertThat(kept).startsWith("a".repeat(AlertEvent.MAX_EVIDENCE_CHARS - 1) + "…(");
        assertThat(kept.chars().filter(c -> Character.isSurrogate((char) c)).count()).isZero();
        assertThat(kept).endsWith("(6 more characters)");
    }
}
