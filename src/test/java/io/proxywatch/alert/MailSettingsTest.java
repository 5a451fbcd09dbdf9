package io.proxywatch.alert;

import io.proxywatch.alert.MailSettings.Security;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailSettingsTest {
    private static MailSettings settings(Security security, String user, String password) {
        return new MailSettings("smtp.example.org", 587, user, password, "proxywatch@example.org",
                List.of("ops@example.org", "sec+alerts@example.org"), List.of("boss@example.org"), security,
                Duration.ofSeconds(10));
    }

    @Test
    void plainSmtpWithoutLoginIsJustTheServer() {
        assertThat(settings(Security.NONE, "", "").camelUri())
                .isEqualTo("smtp://smtp.example.org:587?connectionTimeout=10000");
    }

    @Test
    void aLoginIsAReferenceNeverAPassword() {
        MailSettings s = settings(Security.NONE, "alice@example.org", "p)&}a ss%+");
        assertThat(s.camelUri()).isEqualTo("smtp://smtp.example.org:587?connectionTimeout=10000"
                + "&authenticator=#alertMailLogin").doesNotContain("alice");
        assertThat(s.login()).isTrue();
    }

    @Test
    void starttlsIsRequiredNeverOptional() {
        assertThat(settings(Security.STARTTLS, "", "").camelUri()).startsWith("smtp://")
                .contains("&mail.smtp.starttls.enable=true&mail.smtp.starttls.required=true")
                .contains("&mail.smtp.ssl.checkserveridentity=true");
    }

    @Test
    void smtpsUsesItsOwnScheme() {
        assertThat(settings(Security.SMTPS, "", "").camelUri()).startsWith("smtps://smtp.example.org:587?")
                .contains("&mail.smtps.ssl.checkserveridentity=true").doesNotContain("starttls");
    }

    @Test
    void theLogLineMasksThePassword() {
        MailSettings s = settings(Security.SMTPS, "alice@example.org", "p)&}a ss%+");
        assertThat(s.masked()).isEqualTo("smtps smtp.example.org:587 as alice@example.org (password ****), "
                + "from proxywatch@example.org to ops@example.org, sec+alerts@example.org cc boss@example.org");
        assertThat(s.toString()).isEqualTo(s.masked()).doesNotContain("p)&}");
    }

    @Test
    void securityNamesAreReadInAnyCase() {
        assertThat(Security.of(" StartTLS ")).isEqualTo(Security.STARTTLS);
        assertThatThrownBy(() -> Security.of("ssl")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unusableValuesAreRefused() {
        assertThatThrownBy(() -> new MailSettings("", 25, "", "", "a@b", List.of("c@d"), List.of(), Security.NONE,
                Duration.ofSeconds(1))).hasMessageContaining("host");
        assertThatThrownBy(() -> new MailSettings("h/x?y=1", 25, "", "", "a@b", List.of("c@d"), List.of(),
                Security.NONE, Duration.ofSeconds(1))).hasMessageContaining("host");
        assertThatThrownBy(() -> new MailSettings("h", 0, "", "", "a@b", List.of("c@d"), List.of(), Security.NONE,
                Duration.ofSeconds(1))).hasMessageContaining("port");
        assertThatThrownBy(() -> new MailSettings("h", 25, "", "", "a@b", List.of(), List.of(), Security.NONE,
                Duration.ofSeconds(1))).hasMessageContaining("recipient");
        assertThatThrownBy(() -> new MailSettings("h", 25, "", "pw", "a@b", List.of("c@d"), List.of(), Security.NONE,
                Duration.ofSeconds(1))).hasMessageContaining("username");
        assertThatThrownBy(() -> new MailSettings("h", 25, "", "", "a@b", List.of("c@d\r\nBcc: e@f"), List.of(),
                Security.NONE, Duration.ofSeconds(1))).hasMessageContaining("mail address");
    }
}
