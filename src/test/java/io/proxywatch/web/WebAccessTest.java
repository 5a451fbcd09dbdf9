package io.proxywatch.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class WebAccessTest {

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutAPasswordEveryoneIsLetIn() {
        WebAccess open = new WebAccess("proxywatch", "");
        assertThat(open.required()).isFalse();
        assertThat(open.denied(null)).isFalse();
        assertThat(open.denied("Basic garbage")).isFalse();
    }

    @Test
    void basicAuthNeedsTheUserAndThePassword() {
        WebAccess access = new WebAccess("ops", "s3cret");
        assertThat(access.required()).isTrue();
        assertThat(access.denied(basic("ops", "s3cret"))).isFalse();
        assertThat(access.denied(basic("ops", "wrong"))).isTrue();
        assertThat(access.denied(basic("root", "s3cret"))).isTrue();
        assertThat(access.denied(null)).isTrue();
        assertThat(access.denied("")).isTrue();
    }

    @Test
    void thePasswordIsAlsoABearerToken() {
        WebAccess access = new WebAccess("ops", "s3cret");
        assertThat(access.denied("Bearer s3cret")).isFalse();
        assertThat(access.denied("Bearer s3cre")).isTrue();
        // the scheme is case-insensitive (RFC 9110 §11.1); the credentials are not
        assertThat(access.denied("bearer s3cret ")).isFalse();
        assertThat(access.denied("BASIC " + basic("ops", "s3cret").substring(6))).isFalse();
        assertThat(access.denied("bearer S3CRET")).isTrue();
    }

    @Test
    void listeningOnLoopbackOnlyLoopbackHostsAreServed() {
        WebAccess loopback = new WebAccess("ops", "", true);
        assertThat(loopback.wrongHostName("localhost")).isFalse();
        assertThat(loopback.wrongHostName("127.0.0.1")).isFalse();
        assertThat(loopback.wrongHostName("[::1]")).isFalse();
        assertThat(loopback.wrongHostName("LOCALHOST")).isFalse();
        assertThat(loopback.wrongHostName("rebind.attacker.example")).isTrue();
        assertThat(loopback.wrongHostName("127.0.0.1.attacker.example")).isTrue();
        assertThat(loopback.wrongHostName(null)).isTrue();
        assertThat(new WebAccess("ops", "s3cret", false).wrongHostName("dash.example.com")).isFalse();
        assertThat(new WebAccess("ops", "s3cret", true).wrongHostName("dash.example.com"))
                .as("with a password, a reverse proxy's public name is served").isFalse();
    }
}
