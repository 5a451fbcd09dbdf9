package io.proxywatch.alert;

import io.proxywatch.alert.ChannelAnswer.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DingTalk, Feishu and generic webhook answers. */
class ChannelResponsesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"errcode\":0,\"errmsg\":\"ok\"}                                   | OK",
            "{\"errcode\":130101,\"errmsg\":\"send too fast, exceed 20 times per minute\"} | RETRY",
            "{\"errcode\":-1,\"errmsg\":\"系统繁忙\"}                             | RETRY",
            "{\"errcode\":310000,\"errmsg\":\"sign not match\"}                  | FAIL",
            "{\"errcode\":310000,\"errmsg\":\"keywords not in content\"}         | FAIL",
            "{\"errcode\":310000,\"errmsg\":\"invalid timestamp\"}               | FAIL",
            "{\"errcode\":300001,\"errmsg\":\"token is not exist\"}              | FAIL",
            "<html>502</html>                                                   | RETRY"})
    void dingtalk(String body, Outcome expected) {
        assertThat(DingtalkResponse.read(body).outcome()).isEqualTo(expected);
    }

    @Test
    void dingtalkThrottlesForTenMinutes() {
        ChannelAnswer a = DingtalkResponse.read("{\"errcode\":130101,\"errmsg\":\"send too fast\"}");
        assertThat(a.retryAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> DingtalkResponse.check("dingtalk", "{\"errcode\":310000,\"errmsg\":\"sign not match\"}"))
                .isInstanceOf(ChannelRejectedException.class).hasMessageContaining("dingtalk")
                .hasMessageContaining("310000").hasMessageContaining("sign not match");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"code\":0,\"data\":{},\"msg\":\"success\"}                                   | OK",
            "{\"StatusCode\":0,\"StatusMessage\":\"success\"}                              | OK",
            "{\"code\":11232,\"data\":{},\"msg\":\"frequency limited psm[x]appID[1]\"}      | RETRY",
            "{\"code\":9499,\"msg\":\"too many request\"}                                  | RETRY",
            "{\"code\":9499,\"msg\":\"Bad Request\",\"data\":{}}                           | FAIL",
            "{\"code\":19021,\"data\":{},\"msg\":\"sign match fail or timestamp is not within one hour from current time\"} | FAIL",
            "{\"code\":19022,\"msg\":\"Ip Not Allowed\"}                                   | FAIL",
            "{\"code\":19024,\"data\":{},\"msg\":\"Key Words Not Found\"}                  | FAIL",
            "{\"code\":19001,\"msg\":\"param invalid: incoming webhook access token invalid\"} | FAIL",
            "{}                                                                           | RETRY",
            "gateway timeout                                                              | RETRY"})
    void feishu(String body, Outcome expected) {
        assertThat(FeishuResponse.read(body).outcome()).isEqualTo(expected);
    }

    @Test
    void feishuChecksThrowWithChannelCodeAndMessage() {
        assertThatThrownBy(() -> FeishuResponse.check("feishu", "{\"code\":11232,\"msg\":\"frequency limited\"}"))
                .isInstanceOf(ChannelRetryableException.class).hasMessageContaining("feishu")
                .hasMessageContaining("11232").hasMessageContaining("frequency limited");
    }

    @ParameterizedTest
    @CsvSource({"200,OK", "202,OK", "204,OK", "301,FAIL", "400,FAIL", "401,FAIL", "404,FAIL", "408,RETRY",
            "429,RETRY", "500,RETRY", "502,RETRY", "503,RETRY"})
    void webhookStatuses(int status, Outcome expected) {
        assertThat(WebhookResponse.read(status).outcome()).isEqualTo(expected);
    }
}
