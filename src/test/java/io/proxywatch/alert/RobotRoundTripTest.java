package io.proxywatch.alert;

import io.proxywatch.alert.ChannelAnswer.Outcome;
import io.proxywatch.testkit.MutableClock;
import io.proxywatch.testkit.TestDingtalk;
import io.proxywatch.testkit.TestFeishu;
import io.proxywatch.testkit.TestWebhook;
import io.proxywatch.testkit.TestWecom;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The builders' bodies posted with a real HTTP client to the fake robots, and the answers read back by the
 * response classes: what the lead's routes will do, minus Camel.
 */
class RobotRoundTripTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------------------------------------ WeCom

    @Test
    void wecomAcceptsBothMsgtypesSingleAndDigest() throws Exception {
        try (TestWecom wecom = TestWecom.start("good-key")) {
            WecomMessage md = new WecomMessage("markdown", List.of("ops"), List.of());
            WecomMessage text = new WecomMessage("text", List.of("@all"), List.of("13800001111"));
            for (String body : List.of(md.body(List.of(Samples.sqli())), md.body(Samples.many(300)),
                    text.body(List.of(Samples.sqli())), text.body(Samples.many(300)))) {
                HttpResponse<String> r = post(wecom.url(), body);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(WecomResponse.read(r.body()).outcome()).as(r.body()).isEqualTo(Outcome.OK);
            }
            assertThat(wecom.awaitAccepted(4, Duration.ofSeconds(5))).hasSize(4);
            assertThat(wecom.accepted().get(0).json().get("markdown").get("content").asText())
                    .startsWith("**[HIGH] sqli firing");
            assertThat(wecom.rejected()).isEmpty();
        }
    }

    @Test
    void wecomWrongKeyIs93000WithHttp200() throws Exception {
        try (TestWecom wecom = TestWecom.start("good-key")) {
            HttpResponse<String> r = post(wecom.url("stale-key"),
                    new WecomMessage("markdown", List.of(), List.of()).body(List.of(Samples.sqli())));
            assertThat(r.statusCode()).isEqualTo(200);
            ChannelAnswer a = WecomResponse.read(r.body());
            assertThat(a.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(a.code()).isEqualTo(93000);
            assertThat(a.message()).startsWith("invalid webhook url, hint: [");
            assertThat(wecom.rejectedCodes()).containsExactly(93000L);
            assertThat(SecretUrl.mask(wecom.url("stale-key"))).doesNotContain("stale-key");
        }
    }

    @Test
    void wecomRateLimitsTheTwentyFirstMessageInAMinuteAndRecovers() throws Exception {
        MutableClock clock = new MutableClock();
        try (TestWecom wecom = TestWecom.start("k", clock)) {
            String body = new WecomMessage("text", List.of(), List.of()).body(List.of(Samples.sqli()));
            for (int i = 0; i < 20; i++) {
                assertThat(WecomResponse.read(post(wecom.url(), body).body()).ok()).isTrue();
                clock.advance(2_000); // 20 messages over 40 s
            }
            ChannelAnswer limited = WecomResponse.read(post(wecom.url(), body).body());
            assertThat(limited.outcome()).isEqualTo(Outcome.RETRY);
            assertThat(limited.code()).isEqualTo(45009);
            assertThat(limited.message()).startsWith("api freq out of limit");

            clock.advance(20_001); // the first message leaves the 60 s window
            assertThat(WecomResponse.read(post(wecom.url(), body).body()).ok()).isTrue();
            assertThat(wecom.accepted()).hasSize(21);
            assertThat(wecom.rejectedCodes()).containsExactly(45009L);
        }
    }

    @Test
    void wecomFailNextForRetryTests() throws Exception {
        try (TestWecom wecom = TestWecom.start("k")) {
            wecom.failNext(2);
            String body = new WecomMessage("markdown", List.of(), List.of()).body(List.of(Samples.sqli()));
            assertThat(WecomResponse.read(post(wecom.url(), body).body()).outcome()).isEqualTo(Outcome.RETRY);
            assertThat(WecomResponse.read(post(wecom.url(), body).body()).outcome()).isEqualTo(Outcome.RETRY);
            assertThat(WecomResponse.read(post(wecom.url(), body).body()).outcome()).isEqualTo(Outcome.OK);
            assertThat(wecom.rejectedCodes()).containsExactly(45009L, 45009L);
        }
    }

    @Test
    void wecomRefusesOverLongUnknownFieldsAndBadTypes() throws Exception {
        try (TestWecom wecom = TestWecom.start("k")) {
            String tooLongMd = "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"" + "中".repeat(1366) + "\"}}";
            String tooLongText = "{\"msgtype\":\"text\",\"text\":{\"content\":\"" + "a".repeat(2049) + "\"}}";
            String mentionedAll = "{\"msgtype\":\"text\",\"text\":{\"content\":\"hi\",\"mentioned_all\":true}}";
            String listInMarkdown = "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"hi\",\"mentioned_list\":[\"@all\"]}}";
            String news = "{\"msgtype\":\"news\",\"news\":{}}";
            String empty = "{\"msgtype\":\"text\",\"text\":{\"content\":\"\"}}";
            String notJson = "msgtype=text";
            String fits = "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"" + "中".repeat(1365) + "\"}}";
            for (String body : List.of(tooLongMd, tooLongText, mentionedAll, listInMarkdown, news, empty, notJson)) {
                ChannelAnswer a = WecomResponse.read(post(wecom.url(), body).body());
                assertThat(a.outcome()).as(body).isEqualTo(Outcome.FAIL);
            }
            assertThat(wecom.rejectedCodes()).containsExactly(40058L, 40058L, 40058L, 40058L, 40008L, 44004L, 40058L);
            assertThat(wecom.rejected().get(0).message()).startsWith("markdown.content exceed max length 4096");
            assertThat(wecom.rejected().get(1).message()).startsWith("text.content exceed max length 2048");
            assertThat(wecom.rejected().get(2).message()).contains("unknown field text.mentioned_all");
            assertThat(WecomResponse.read(post(wecom.url(), fits).body()).ok()).isTrue();
        }
    }

    // ------------------------------------------------------------------------------------------------ DingTalk

    @Test
    void dingtalkAcceptsASignedMessageAndRefusesAWrongOrStaleSign() throws Exception {
        MutableClock clock = new MutableClock();
        try (TestDingtalk ding = TestDingtalk.start("tok", "SECgood", clock)) {
            String body = new DingtalkMessage(List.of("13800001111"), List.of(), false).body(List.of(Samples.sqli()));

            ChannelAnswer ok = DingtalkResponse.read(post(DingtalkMessage.signedUrl(ding.url(), "SECgood", clock), body).body());
            assertThat(ok.outcome()).as(ding.summary()).isEqualTo(Outcome.OK);

            ChannelAnswer wrong = DingtalkResponse.read(post(DingtalkMessage.signedUrl(ding.url(), "SECbad", clock), body).body());
            assertThat(wrong.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(wrong.message()).isEqualTo("sign not match");

            MutableClock ourClock = new MutableClock();
            ourClock.set(clock.millis() - Duration.ofMinutes(61).toMillis()); // our clock an hour behind
            ChannelAnswer stale = DingtalkResponse.read(post(DingtalkMessage.signedUrl(ding.url(), "SECgood", ourClock), body).body());
            assertThat(stale.code()).isEqualTo(310000);
            assertThat(stale.message()).isEqualTo("invalid timestamp");

            ChannelAnswer unsigned = DingtalkResponse.read(post(ding.url(), body).body());
            assertThat(unsigned.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(ding.accepted()).hasSize(1);
        }
    }

    @Test
    void dingtalkThrottlesForTenMinutesAfterTwentyAMinute() throws Exception {
        MutableClock clock = new MutableClock();
        try (TestDingtalk ding = TestDingtalk.start("tok", null, clock)) {
            String body = new DingtalkMessage(List.of(), List.of(), false).body(List.of(Samples.sqli()));
            for (int i = 0; i < 20; i++) {
                assertThat(DingtalkResponse.read(post(ding.url(), body).body()).ok()).isTrue();
            }
            assertThat(DingtalkResponse.read(post(ding.url(), body).body()).code()).isEqualTo(130101);
            clock.advance(Duration.ofMinutes(5).toMillis());
            assertThat(DingtalkResponse.read(post(ding.url(), body).body()).outcome()).isEqualTo(Outcome.RETRY);
            clock.advance(Duration.ofMinutes(5).toMillis() + 1);
            assertThat(DingtalkResponse.read(post(ding.url(), body).body()).ok()).isTrue();
        }
    }

    @Test
    void dingtalkRefusesUnknownFieldsAndOverLongText() throws Exception {
        try (TestDingtalk ding = TestDingtalk.start("tok", null, new MutableClock(), 4096)) {
            String unknown = "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"t\",\"text\":\"x\"},\"at\":{\"mentionAll\":true}}";
            String tooLong = "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"t\",\"text\":\"" + "x".repeat(4097) + "\"}}";
            assertThat(DingtalkResponse.read(post(ding.url(), unknown).body()).outcome()).isEqualTo(Outcome.FAIL);
            assertThat(DingtalkResponse.read(post(ding.url(), tooLong).body()).outcome()).isEqualTo(Outcome.FAIL);
            String digest = new DingtalkMessage(List.of(), List.of(), false).body(Samples.many(400));
            assertThat(DingtalkResponse.read(post(ding.url(), digest).body()).ok()).as(ding.summary()).isTrue();
            assertThat(ding.rejectedCodes()).containsExactly(40035L, 460101L);
        }
    }

    // ------------------------------------------------------------------------------------------------ Feishu

    @Test
    void feishuAcceptsASignedMessageAndRefusesAWrongOrStaleSign() throws Exception {
        MutableClock clock = new MutableClock();
        try (TestFeishu feishu = TestFeishu.start("hooktoken", "fsecret", clock)) {
            List<Notification> one = List.of(Samples.sqli());
            assertThat(FeishuResponse.read(post(feishu.url(), new FeishuMessage("fsecret", clock).body(one)).body())
                    .outcome()).as(feishu.summary()).isEqualTo(Outcome.OK);
            assertThat(FeishuResponse.read(post(feishu.url(), new FeishuMessage("other", clock).body(one)).body())
                    .code()).isEqualTo(19021);
            MutableClock behind = new MutableClock();
            behind.set(clock.millis() - Duration.ofMinutes(61).toMillis());
            assertThat(FeishuResponse.read(post(feishu.url(), new FeishuMessage("fsecret", behind).body(one)).body())
                    .code()).isEqualTo(19021);
            assertThat(FeishuResponse.read(post(feishu.url(), new FeishuMessage(null, clock).body(one)).body())
                    .outcome()).isEqualTo(Outcome.FAIL);
            HttpResponse<String> wrongHook = post(feishu.baseUrl() + TestFeishu.PATH_PREFIX + "nope",
                    new FeishuMessage("fsecret", clock).body(one));
            assertThat(FeishuResponse.read(wrongHook.body()).outcome()).isEqualTo(Outcome.FAIL);
            assertThat(feishu.rejectedCodes()).containsExactly(19021L, 19021L, 19021L, 19001L);
            assertThat(SecretUrl.mask(feishu.url())).doesNotContain("hooktoken");
        }
    }

    @Test
    void feishuRateLimitsFiveASecondAndTakesABigDigest() throws Exception {
        MutableClock clock = new MutableClock();
        try (TestFeishu feishu = TestFeishu.start("t", null, clock)) {
            FeishuMessage m = new FeishuMessage(null, clock);
            for (int i = 0; i < 5; i++) {
                assertThat(FeishuResponse.read(post(feishu.url(), m.body(Samples.many(600))).body()).ok())
                        .as(feishu.summary()).isTrue();
            }
            ChannelAnswer limited = FeishuResponse.read(post(feishu.url(), m.body(List.of(Samples.sqli()))).body());
            assertThat(limited.outcome()).isEqualTo(Outcome.RETRY);
            assertThat(limited.code()).isEqualTo(11232);
            clock.advance(1_001);
            assertThat(FeishuResponse.read(post(feishu.url(), m.body(List.of(Samples.sqli()))).body()).ok()).isTrue();
        }
    }

    // ------------------------------------------------------------------------------------------------ webhook

    @Test
    void webhookTakesTheBodyAndAnswersQueuedStatuses() throws Exception {
        try (TestWebhook hook = TestWebhook.start()) {
            String body = new WebhookMessage().body(Samples.many(3));
            hook.answerNext(503);
            assertThat(WebhookResponse.read(post(hook.url(), body).statusCode()).outcome()).isEqualTo(Outcome.RETRY);
            assertThat(WebhookResponse.read(post(hook.url(), body).statusCode()).ok()).isTrue();
            assertThat(hook.awaitAccepted(1, Duration.ofSeconds(5)).get(0).json().get("notifications")).hasSize(3);
        }
    }
}
