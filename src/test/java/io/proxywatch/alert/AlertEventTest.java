package io.proxywatch.alert;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Evidence, key and summary are kept short whatever the line: incidents hold them until they close. */
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

    /** A key cut once (an open burst keeps it so) is not cut again when the event is made from it. */
    @Test
    void clippingTwiceChangesNothing() {
        String once = AlertEvent.clip("k".repeat(5_000), AlertEvent.MAX_KEY_CHARS);
        assertThat(AlertEvent.clip(once, AlertEvent.MAX_KEY_CHARS)).isEqualTo(once).endsWith("(4744 more characters)");
        // a text that only looks cut, but goes on, is cut
        String fake = "k".repeat(AlertEvent.MAX_KEY_CHARS) + "…(" + "9".repeat(10_000) + " more characters)";
        assertThat(AlertEvent.clip(fake, AlertEvent.MAX_KEY_CHARS)).hasSizeLessThan(AlertEvent.MAX_KEY_CHARS + 32);
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

    @Test
    void aKeyAndASummaryOutOfAHugeRequestAreCutToo() {
        Instant t = Instant.parse("2026-11-26T12:00:00Z");
        String path = "/q?id=1%20UNION%20SELECT%20" + "x".repeat(100_000);
        AlertEvent e = new AlertEvent("path-burst", "rate", "high", AlertEvent.FIRING, "203.0.113.9 " + path, 101, t,
                t, "203.0.113.9 " + path + ": 101 requests in 10s (limit 100)", List.of());
        assertThat(e.key()).startsWith("203.0.113.9 /q?id=1%20UNION").endsWith(" more characters)")
                .hasSizeLessThan(AlertEvent.MAX_KEY_CHARS + 40);
        assertThat(e.summary()).startsWith("203.0.113.9 /q?id=1%20UNION").endsWith(" more characters)")
                .hasSizeLessThan(AlertEvent.MAX_SUMMARY_CHARS + 40);
        // the same long key cut the same way: its events still meet in one incident
        AlertEvent again = new AlertEvent("path-burst", "rate", "high", AlertEvent.RESOLVED, "203.0.113.9 " + path,
                0, t, t, "quiet", List.of());
        assertThat(again.key()).isEqualTo(e.key());
        assertThat(new AlertEvent("r", "rate", "high", AlertEvent.FIRING, "203.0.113.9", 1, t, t, "short",
                List.of()).key()).isEqualTo("203.0.113.9");
    }
}
