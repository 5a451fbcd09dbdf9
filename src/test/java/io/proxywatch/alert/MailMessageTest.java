package io.proxywatch.alert;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailMessageTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final String IMG = "\"><img src=x onerror=alert(document.cookie)>";

    private static Notification firing(String rule, String severity, String key) {
        return new Notification(rule, "sqli", severity, AlertEvent.FIRING, key, 3, 12, T0, T0.plusSeconds(90),
                "12 sqli findings from " + key, List.of("GET /?id=1%27%20OR%201=1 HTTP/1.1"), false);
    }

    private static Notification resolved(String rule, String severity, String key) {
        return new Notification(rule, "rate", severity, AlertEvent.RESOLVED, key, 0, 40, T0, T0.plusSeconds(300),
                "quiet again", List.of(), false);
    }

    private static Notification hostile() {
        return new Notification("xss-script", "xss", "high", AlertEvent.FIRING, SCRIPT + IMG, 1, 1, T0, T0,
                "payload " + SCRIPT + " & " + IMG, List.of("GET /?q=" + SCRIPT, "Referer: " + IMG), false);
    }

    @Test
    void oneIncidentIsNamedByRuleAndKey() {
        MailMessage m = new MailMessage(List.of(firing("sqli-union", "critical", "203.0.113.7")));
        assertThat(m.subject()).isEqualTo("[proxywatch][CRITICAL] sqli-union \u2014 203.0.113.7");
    }

    @Test
    void aResolvedIncidentSaysResolvedInsteadOfItsSeverity() {
        MailMessage m = new MailMessage(List.of(resolved("rate-per-ip", "warning", "198.51.100.9")));
        assertThat(m.subject()).isEqualTo("[proxywatch][RESOLVED] rate-per-ip \u2014 198.51.100.9");
        assertThat(m.text()).contains("resolved");
    }

    @Test
    void aDigestCountsIncidentsListsRulesOnceAndCarriesTheHighestFiringSeverity() {
        MailMessage m = new MailMessage(List.of(
                firing("scanner-ua", "warning", "10.0.0.1"),
                resolved("error-rate", "critical", "all"),
                firing("sqli-union", "high", "10.0.0.2"),
                firing("scanner-ua", "warning", "10.0.0.3")));
        assertThat(m.subject()).isEqualTo("[proxywatch][HIGH] 4 incidents \u2014 sqli-union, scanner-ua, error-rate");
        assertThat(m.text()).startsWith("proxywatch: 4 incidents, 3 firing, 1 resolved\n");
    }

    @Test
    void aDigestOfResolvedIncidentsOnlyIsTaggedResolved() {
        MailMessage m = new MailMessage(List.of(resolved("a", "critical", "x"), resolved("b", "info", "y")));
        assertThat(m.subject()).startsWith("[proxywatch][RESOLVED] 2 incidents");
    }

    @Test
    void aLongDigestSubjectIsCutToTwoHundredCharsWithAnEllipsis() {
        List<Notification> many = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            many.add(firing("signature-rule-number-" + i, "info", "10.0.0." + i));
        }
        String subject = new MailMessage(many).subject();
        assertThat(subject).hasSizeLessThanOrEqualTo(200).endsWith("\u2026")
                .startsWith("[proxywatch][INFO] 60 incidents \u2014 signature-rule-number-0, signature-rule-number-1");
    }

    @Test
    void aLineBreakInAKeyCannotStartAHeaderOfItsOwn() {
        MailMessage m = new MailMessage(List.of(firing("sqli-union", "critical", "1.2.3.4\r\nBcc: evil@x\r\n\r\nbody")));
        assertThat(m.subject()).isEqualTo("[proxywatch][CRITICAL] sqli-union \u2014 1.2.3.4 Bcc: evil@x body")
                .doesNotContain("\r").doesNotContain("\n");
    }

    @Test
    void everyControlAndFormatCharacterLeavesTheSubject() {
        String key = "a\u0000b\tc\u001b[31md\u0085e\u2028f\u202eg\u200bh\u007f";
        String subject = new MailMessage(List.of(firing("r", "info", key))).subject();
        assertThat(subject.chars()).noneMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT || c == '\u2028');
        assertThat(subject).endsWith("a b c [31md e f g h");
    }

    @Test
    void aCutNeverSplitsACharacterOutsideTheBasicPlane() {
        String cut = MailMessage.oneLine("x".repeat(198) + "\uD83D\uDE00\uD83D\uDE00", 200);
        assertThat(cut).isEqualTo("x".repeat(198) + "\u2026");
    }

    @Test
    void theHtmlEscapesEveryLogDerivedString() {
        String html = new MailMessage(List.of(hostile())).html();
        assertThat(html).doesNotContain("<script").doesNotContain("<img").doesNotContain("\"><img")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&quot;&gt;&lt;img src=x onerror=alert(document.cookie)&gt;")
                .contains("payload &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;&gt;&lt;img")
                .contains("<pre style=").contains("GET /?q=&lt;script&gt;");
    }

    @Test
    void theHtmlIsSelfContained() {
        String html = new MailMessage(List.of(hostile(), firing("sqli-union", "critical", "203.0.113.7"))).html();
        assertThat(html.toLowerCase()).doesNotContain("<script").doesNotContain("src=\"").doesNotContain("href")
                .doesNotContain("url(").doesNotContain("<link").doesNotContain("<img");
        assertThat(html).contains("<table").contains("<th>Severity</th>").contains("<td>3 / 12</td>")
                .contains("2026-11-25T12:00:00Z").contains("2026-11-25T12:01:30Z");
    }

    @Test
    void theTextShowsLogTextAsItIsButKeepsItUnderItsIncident() {
        Notification trace = new Notification("panic", "threshold", "critical", AlertEvent.FIRING, "gw", 1, 1, T0, T0,
                "panic in handler", List.of("panic: boom\ngoroutine 1 [running]:\nmain.main()"), true);
        String text = new MailMessage(List.of(hostile(), trace)).text();
        assertThat(text).contains("payload " + SCRIPT + " & " + IMG).contains("GET /?q=" + SCRIPT)
                .contains("    panic: boom\n        goroutine 1 [running]:\n        main.main()\n")
                .contains("(repeat: still firing)").contains("1 new, 1 in this incident");
    }

    /**
     * Control characters from a log line cannot drive the reader's terminal or reorder what it shows: ESC, VT, FF
     * and DEL become spaces, NEL breaks the line under its incident like LF, bidirectional overrides are dropped.
     * They passed into the plain-text part as they were.
     */
    @Test
    void theTextKeepsNoControlCharacterButTheLineBreaksItIndents() {
        Notification n = new Notification("xss", "xss", "high", AlertEvent.FIRING, "203.0.113.7", 1, 1, T0, T0,
                "summary", List.of("a\u001b[2J\u001b[31mb\u000bc\u000cd\u007fe\u0085f\u202eg\ud800h\uD83D\uDE00"), false);
        String text = new MailMessage(List.of(n)).text();
        assertThat(text.chars()).noneMatch(c -> c != '\n' && Character.isISOControl(c) || c == '\u202e');
        assertThat(text).contains("a [2J [31mb c d e\n        f").contains("g\uFFFDh")
                .contains("\uD83D\uDE00");
    }

    @Test
    void anEmptyDigestIsRefused() {
        assertThatThrownBy(() -> new MailMessage(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void htmlEscapeCoversTheFiveSpecialCharacters() {
        assertThat(Html.escape("a&b<c>d\"e'f")).isEqualTo("a&amp;b&lt;c&gt;d&quot;e&#39;f");
        assertThat(Html.escape("plain")).isEqualTo("plain");
        assertThat(Html.escape(null)).isEmpty();
    }
}
