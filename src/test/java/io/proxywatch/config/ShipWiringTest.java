package io.proxywatch.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a start-up error about the collector's settings may print: never a secret written into them. */
class ShipWiringTest {

    @Test
    void aBadCollectorUrlIsShownWithoutItsQueryOrPassword() {
        assertThat(ShipWiring.shown("https://collector.example/v1/logs?api_key=S3cr3tKey&tag=a b"))
                .isEqualTo("https://collector.example/v1/logs?(not shown)");
        assertThat(ShipWiring.shown("htps://ingest:S3cr3tPw@collector.example/v1/logs"))
                .doesNotContain("S3cr3tPw").contains("collector.example/v1/logs");
        assertThat(ShipWiring.shown("https://collector.example/v1#S3cr3t")).doesNotContain("S3cr3t");
    }

    @Test
    void theStartUpErrorAboutABadCollectorUrlHoldsNoSecret() {
        assertThatThrownBy(() -> ShipWiring.checkUrl("htps://ingest:S3cr3tPw@collector.example/v1/logs?api_key=K3y"))
                .isInstanceOf(ConfigError.class).hasMessageContaining("proxywatch.ship.url")
                .hasMessageNotContaining("S3cr3tPw").hasMessageNotContaining("K3y");
        assertThatThrownBy(() -> ShipWiring.checkUrl("https://collector.example/v 1?api_key=K3y"))
                .isInstanceOf(ConfigError.class).hasMessageNotContaining("K3y");
    }

    @Test
    void aHeaderWrittenAsNameColonValueIsNamedNotEchoed() {
        assertThatThrownBy(() -> ShipWiring.headers("X-Tenant=acme, Authorization: Bearer S3cr3tToken"))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("proxywatch.ship.headers").hasMessageContaining("pair 2, Authorization")
                .hasMessageNotContaining("S3cr3tToken").hasMessageNotContaining("Bearer");
        assertThat(ShipWiring.headers("X-Tenant=acme,X-Env=ci")).containsEntry("X-Tenant", "acme")
                .containsEntry("X-Env", "ci");
    }
}
