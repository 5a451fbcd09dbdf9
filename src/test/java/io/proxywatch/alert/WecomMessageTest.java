package io.proxywatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WecomMessageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WecomMessage MARKDOWN = new WecomMessage("markdown", List.of(), List.of());
    private static final WecomMessage TEXT = new WecomMessage("text", List.of(), List.of());

    private static JsonNode parse(String body) throws Exception {
        return JSON.readTree(body);
    }

    private static int utf8(String s) {
        return Utf8Limit.bytes(s);
    }

    @Test
    void oneNotificationAsMarkdown() throws Exception {
        JsonNode body = parse(MARKDOWN.body(List.of(Samples.sqli())));
        assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
        assertThat(body.size()).isEqualTo(2);
        assertThat(body.get("markdown").size()).isEqualTo(1);
        String content = body.get("markdown").get("content").asText();
        assertThat(content.lines().findFirst().orElseThrow())
                .isEqualTo("**[HIGH] sqli firing — 203.0.113.9**");
        assertThat(content).contains("rule: sqli-union (sqli)",
                "events: 3 in this notification, 12 in the incident",
                "first seen 2024-05-01T10:00:00Z, last seen 2024-05-01T10:04:59Z",
                "summary: 3 SQL injection attempts from 203.0.113.9",
                "\n> GET /item?id=1 UNION SELECT password FROM users-- HTTP/1.1",
                "\n> GET /item?id=1' OR '1'='1 HTTP/1.1");
    }

    @Test
    void oneNotificationAsTextIsPlainAndKeepsMentionLists() throws Exception {
        WecomMessage text = new WecomMessage("text", List.of("wangqing", "@all"), List.of("13800001111"));
        JsonNode body = parse(text.body(List.of(Samples.sqli())));
        assertThat(body.get("msgtype").asText()).isEqualTo("text");
        JsonNode inner = body.get("text");
        assertThat(inner.get("content").asText()).startsWith("[HIGH] sqli firing — 203.0.113.9\n")
                .contains("\n> GET /item?id=1 UNION SELECT password FROM users-- HTTP/1.1");
        assertThat(inner.get("mentioned_list")).hasSize(2);
        assertThat(inner.get("mentioned_list").get(1).asText()).isEqualTo("@all");
        assertThat(inner.get("mentioned_mobile_list").get(0).asText()).isEqualTo("13800001111");
        assertThat(body.has("mentioned_all")).isFalse();
        assertThat(inner.has("mentioned_all")).isFalse();
    }

    @Test
    void textWithoutMentionsHasNoEmptyLists() throws Exception {
        JsonNode inner = parse(TEXT.body(List.of(Samples.sqli()))).get("text");
        assertThat(inner.has("mentioned_list")).isFalse();
        assertThat(inner.has("mentioned_mobile_list")).isFalse();
    }

    @Test
    void markdownMentionsAreWrittenInTheContent() throws Exception {
        WecomMessage md = new WecomMessage("markdown", List.of("wangqing", "li.si"), List.of());
        JsonNode body = parse(md.body(List.of(Samples.sqli())));
        String content = body.get("markdown").get("content").asText();
        assertThat(content).endsWith("\n\n<@wangqing> <@li.si>");
        assertThat(body.get("markdown").has("mentioned_list")).isFalse();
    }

    @Test
    void markdownCannotMentionAllOrMobilesAndSaysSo() {
        assertThatThrownBy(() -> new WecomMessage("markdown", List.of("@all"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("msgtype text");
        assertThatThrownBy(() -> new WecomMessage("markdown", List.of(), List.of("13800001111")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mobile");
        assertThatThrownBy(() -> new WecomMessage("markdown", List.of("a><font"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user id");
        assertThatThrownBy(() -> new WecomMessage("news", List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("markdown or text");
    }

    @Test
    void aHostileLogLineStaysInsideItsQuote() throws Exception {
        Notification n = Samples.withEvidence(List.of("GET /<font color=\"info\">resolved</font>\n**[ok](javascript:x)** @all <@all>"));
        String content = parse(MARKDOWN.body(List.of(n))).get("markdown").get("content").asText();
        String evidence = content.lines().filter(l -> l.startsWith("> ")).findFirst().orElseThrow();
        assertThat(evidence).doesNotContain("<", "@").contains("&lt;font color=\"info\"&gt;", "\\*\\*\\[ok\\]");
        assertThat(content.lines().filter(l -> l.startsWith("> ")).count()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"markdown", "text"})
    void aHugeNotificationStaysWithinTheLimit(String msgtype) throws Exception {
        WecomMessage m = new WecomMessage(msgtype, List.of(), List.of());
        String huge = "攻击*[x]".repeat(2000);
        Notification n = new Notification("r", "sqli", "high", "firing", "k".repeat(3000), 1, 1, Samples.FIRST,
                Samples.LAST, huge, List.of(huge, huge, huge, huge, huge), false);
        String content = parse(m.body(List.of(n))).get(msgtype).get("content").asText();
        int limit = msgtype.equals("markdown") ? WecomMessage.MARKDOWN_MAX_BYTES : WecomMessage.TEXT_MAX_BYTES;
        assertThat(utf8(content)).isLessThanOrEqualTo(limit).isGreaterThan(limit / 2);
        assertThat(content).contains("truncated");
    }

    @Test
    void longEvidenceIsDroppedLineByLineWithANote() throws Exception {
        String line = "GET /" + "a".repeat(395);
        Notification n = Samples.withEvidence(List.of(line, line, line, line, line));
        String content = parse(TEXT.body(List.of(n))).get("text").get("content").asText();
        assertThat(utf8(content)).isLessThanOrEqualTo(WecomMessage.TEXT_MAX_BYTES);
        long shown = content.lines().filter(l -> l.startsWith("> ")).count();
        assertThat(shown).isBetween(1L, 4L);
        assertThat(content).endsWith("…and " + (5 - shown) + " more evidence lines, see alerts.log");
    }

    @Test
    void severalNotificationsMakeADigest() throws Exception {
        List<Notification> ns = Samples.many(3);
        String content = parse(MARKDOWN.body(ns)).get("markdown").get("content").asText();
        assertThat(content).startsWith("**3 incidents, 6 alerts**\n");
        assertThat(content).contains("\nWARNING scanner-ua-0 2001:db8::0:beef:cafe ×1 (resolved)",
                "\nWARNING scanner-ua-1 2001:db8::1:beef:cafe ×2 (firing)");
        assertThat(content).doesNotContain("more incidents");
    }

    @ParameterizedTest
    @ValueSource(strings = {"markdown", "text"})
    void aDigestTooLongAccountsForEveryAlert(String msgtype) throws Exception {
        WecomMessage m = new WecomMessage(msgtype, msgtype.equals("text") ? List.of("@all") : List.of("ops"),
                List.of());
        List<Notification> ns = Samples.many(300);
        long alerts = ns.stream().mapToLong(Notification::events).sum();
        String content = parse(m.body(ns)).get(msgtype).get("content").asText();
        int limit = msgtype.equals("markdown") ? WecomMessage.MARKDOWN_MAX_BYTES : WecomMessage.TEXT_MAX_BYTES;
        assertThat(utf8(content)).isLessThanOrEqualTo(limit);
        assertThat(content).contains("300 incidents, " + alerts + " alerts");

        Pattern line = Pattern.compile("×(\\d+) \\(");
        List<Long> perLine = new ArrayList<>();
        Matcher lm = line.matcher(content);
        while (lm.find()) {
            perLine.add(Long.parseLong(lm.group(1)));
        }
        Matcher more = Pattern.compile("…and (\\d+) more incidents \\((\\d+) alerts\\), see alerts\\.log")
                .matcher(content);
        assertThat(more.find()).as(content).isTrue();
        assertThat(perLine.size() + Long.parseLong(more.group(1))).isEqualTo(300);
        assertThat(perLine.stream().mapToLong(Long::longValue).sum() + Long.parseLong(more.group(2))).isEqualTo(alerts);
        assertThat(perLine.size()).as("uses the space it has").isGreaterThan(msgtype.equals("markdown") ? 50 : 25);
        if (msgtype.equals("markdown")) {
            assertThat(content).endsWith("\n\n<@ops>");
        }
    }

    /** Cut to the channel's size, a digest keeps the critical incident that came last, not the first 150. */
    @Test
    void aDigestShowsTheMostUrgentFirst() throws Exception {
        List<Notification> ns = new ArrayList<>(Samples.many(150));
        Notification critical = new Notification("cmd-injection-rce", "cmd_injection", "critical", "firing",
                "198.51.100.77", 1, 1, java.time.Instant.EPOCH, java.time.Instant.EPOCH, "rce", List.of(), false);
        ns.add(critical);
        String content = parse(MARKDOWN.body(ns)).get("markdown").get("content").asText();
        assertThat(content).contains("more incidents");
        assertThat(content.lines().skip(1).findFirst().orElseThrow())
                .isEqualTo("CRITICAL cmd-injection-rce 198.51.100.77 ×1 (firing)");
    }

    @Test
    void anEmptyListIsABug() {
        assertThatThrownBy(() -> MARKDOWN.body(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
