package io.proxywatch.alert;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretUrlTest {

    @Test
    void wecomKey() {
        assertThat(SecretUrl.mask("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0"))
                .isEqualTo("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****");
    }

    @Test
    void dingtalkTokenAndSignButNotTimestamp() {
        assertThat(SecretUrl.mask("https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1700000000000"
                + "&sign=TSZb%2FLc%3D")).isEqualTo(
                "https://oapi.dingtalk.com/robot/send?access_token=****&timestamp=1700000000000&sign=****");
    }

    @Test
    void feishuHookPath() {
        assertThat(SecretUrl.mask("https://open.feishu.cn/open-apis/bot/v2/hook/2c288ae5-4468-47d0-9c1b"))
                .isEqualTo("https://open.feishu.cn/open-apis/bot/v2/hook/****");
    }

    @Test
    void otherSecretsUserInfoAndCase() {
        assertThat(SecretUrl.mask("https://user:pa55@example.com/x?Token=t&secret=s&page=2&SIGN=x"))
                .isEqualTo("https://user:****@example.com/x?Token=****&secret=****&page=2&SIGN=****");
        assertThat(SecretUrl.mask("https://example.com/x?%6Bey=leaked")).isEqualTo("https://example.com/x?%6Bey=****");
    }

    @Test
    void harmlessUrlsAndOddInputAreKept() {
        assertThat(SecretUrl.mask("http://127.0.0.1:8080/alerts")).isEqualTo("http://127.0.0.1:8080/alerts");
        assertThat(SecretUrl.mask("not a url ?key")).isEqualTo("not a url ?key");
        assertThat(SecretUrl.mask("x?key=%zz")).isEqualTo("x?key=****");
        assertThat(SecretUrl.mask(null)).isEmpty();
    }

    /** A generic webhook's secret may be anywhere past its host: only scheme, host and port are shown. */
    @Test
    void aWebhookIsShownByItsOriginOnly() {
        assertThat(SecretUrl.origin("https://hooks.slack.com/services/T000/B000/XXXXSECRET"))
                .isEqualTo("https://hooks.slack.com/****");
        assertThat(SecretUrl.origin("https://discord.com/api/webhooks/123/SECRET")).isEqualTo("https://discord.com/****");
        assertThat(SecretUrl.origin("https://x.logic.azure.com:443/workflows/1/triggers?api-version=1&sig=SECRET"))
                .isEqualTo("https://x.logic.azure.com:443/****");
        assertThat(SecretUrl.origin("http://user:pass@127.0.0.1:9000?apikey=SECRET")).isEqualTo("http://user:****@127.0.0.1:9000/****");
        assertThat(SecretUrl.origin("http://127.0.0.1:9000")).isEqualTo("http://127.0.0.1:9000");
    }
}
