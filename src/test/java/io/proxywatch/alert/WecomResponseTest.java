package io.proxywatch.alert;

import io.proxywatch.alert.ChannelAnswer.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WecomResponseTest {

    @Test
    void errcodeZeroIsDelivered() {
        ChannelAnswer a = WecomResponse.read("{\"errcode\":0,\"errmsg\":\"ok\"}");
        assertThat(a.outcome()).isEqualTo(Outcome.OK);
        assertThat(a.code()).isZero();
        assertThat(WecomResponse.check("wecom", "{\"errcode\":0,\"errmsg\":\"ok\"}").ok()).isTrue();
    }

    @Test
    void anInvalidKeyIsRefusedForGoodThoughHttpSaid200() {
        String body = "{\"errcode\":93000,\"errmsg\":\"invalid webhook url, hint: [1716264347466642364852488], "
                + "from ip: 61.156.117.29, more info at https://open.work.weixin.qq.com/devtool/query?e=93000\"}";
        ChannelAnswer a = WecomResponse.read(body);
        assertThat(a.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(a.code()).isEqualTo(93000);
        assertThat(a.message()).startsWith("invalid webhook url");
        assertThat(a.description()).contains("key");
        assertThatThrownBy(() -> WecomResponse.check("wecom", body))
                .isInstanceOf(ChannelRejectedException.class)
                .hasMessageContaining("wecom").hasMessageContaining("93000").hasMessageContaining("invalid webhook url")
                .satisfies(e -> assertThat(((ChannelRejectedException) e).answer().code()).isEqualTo(93000));
    }

    @Test
    void rateLimitingIsRetriedAfterAMinute() {
        ChannelAnswer a = WecomResponse.read("{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}");
        assertThat(a.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(a.retryAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThatThrownBy(() -> WecomResponse.check("wecom", "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}"))
                .isInstanceOf(ChannelRetryableException.class)
                .hasMessageContaining("wecom").hasMessageContaining("45009").hasMessageContaining("api freq out of limit");
    }

    @Test
    void systemBusyIsRetried() {
        assertThat(WecomResponse.read("{\"errcode\":-1,\"errmsg\":\"system busy\"}").outcome()).isEqualTo(Outcome.RETRY);
    }

    @Test
    void aBadMessageIsNotRetried() {
        assertThat(WecomResponse.read("{\"errcode\":40058,\"errmsg\":\"markdown.content exceed max length 4096. "
                + "invalid Request Parameter\"}").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(WecomResponse.read("{\"errcode\":44004,\"errmsg\":\"empty content\"}").outcome())
                .isEqualTo(Outcome.FAIL);
        assertThat(WecomResponse.read("{\"errcode\":40008,\"errmsg\":\"invalid message type\"}").outcome())
                .isEqualTo(Outcome.FAIL);
        assertThat(WecomResponse.read("{\"errcode\":12345,\"errmsg\":\"who knows\"}").outcome())
                .isEqualTo(Outcome.FAIL);
    }

    @Test
    void okWithAJsonWarningIsABugInUs() {
        ChannelAnswer a = WecomResponse.read("{\"errcode\":0,\"errmsg\":\"ok. Warning: wrong json format. \"}");
        assertThat(a.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(a.description()).contains("bug");
    }

    @Test
    void aProxysHtmlPageIsRetriedAndDescribed() {
        ChannelAnswer a = WecomResponse.read("<html><body><h1>502 Bad Gateway</h1>\r\n</body></html>");
        assertThat(a.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(a.description()).contains("not the robot's JSON", "502 Bad Gateway").doesNotContain("\r", "\n");
        assertThat(WecomResponse.read("").outcome()).isEqualTo(Outcome.RETRY);
        assertThat(WecomResponse.read(null).description()).contains("empty");
        assertThat(WecomResponse.read("{\"status\":\"ok\"}").outcome()).isEqualTo(Outcome.RETRY);
        assertThat(WecomResponse.read("[1,2]").outcome()).isEqualTo(Outcome.RETRY);
    }

    @Test
    void aLongAnswerIsShortenedInTheDescription() {
        ChannelAnswer a = WecomResponse.read("<html>" + "x".repeat(10_000));
        assertThat(a.description().length()).isLessThan(400);
    }
}
