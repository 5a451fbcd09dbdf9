package io.proxywatch.detect;

import io.proxywatch.rules.RulesError;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateRuleTest {
    private static RateRule.Section parse(String yaml) {
        Object node = new Load(LoadSettings.builder().build()).loadFromString(yaml);
        return RateRule.fromYaml(node, Map.of(), "rules.yaml: rate");
    }

    @Test
    void aLimitUpToHalfAMillionIsTaken() {
        assertThat(parse("rules: [{id: a, key: ip, limit: 500000, window: 10s}]").rules())
                .containsExactly(new RateRule("a", "ip", 500_000, Duration.ofSeconds(10), "high"));
    }

    @Test
    void aLimitTheWindowsCannotCountToIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> parse("rules: [{id: a, key: ip, limit: 500001, window: 10s}]"))
                .isInstanceOf(RulesError.class)
                .hasMessage("rules.yaml: rate.rules[0].limit: must be 1 to 500000, found 500001");
        assertThatThrownBy(() -> parse("rules: [{id: a, key: ip, limit: 0, window: 10s}]"))
                .isInstanceOf(RulesError.class)
                .hasMessage("rules.yaml: rate.rules[0].limit: must be 1 to 500000, found 0");
    }
}
