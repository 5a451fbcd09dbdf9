package io.proxywatch.detect;

import io.proxywatch.rules.RulesError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllowListTest {
    private final AllowList allow = AllowList.parse(
            List.of("10.0.0.0/8", "203.0.113.7", "192.168.1.128/25", "2001:db8::/32", "::1/128"), "allow");

    @Test
    void ipv4RangesAndSingleAddresses() {
        assertThat(allow.allows("10.255.1.2")).isTrue();
        assertThat(allow.allows("11.0.0.1")).isFalse();
        assertThat(allow.allows("203.0.113.7")).isTrue();
        assertThat(allow.allows("203.0.113.8")).isFalse();
        assertThat(allow.allows("192.168.1.200")).isTrue();
        assertThat(allow.allows("192.168.1.127")).isFalse();
    }

    @Test
    void ipv6Ranges() {
        assertThat(allow.allows("2001:db8:1::5")).isTrue();
        assertThat(allow.allows("2001:db9::1")).isFalse();
        assertThat(allow.allows("::1")).isTrue();
        assertThat(allow.allows("[::1]")).isTrue();
    }

    @Test
    void anythingThatIsNotAnAddressIsNotAllowedAndNeverResolved() {
        assertThat(allow.allows("localhost")).isFalse();
        assertThat(allow.allows("10.0.0")).isFalse();
        assertThat(allow.allows("10.0.0.256")).isFalse();
        assertThat(allow.allows("example.com:80")).isFalse();
        assertThat(allow.allows("")).isFalse();
        assertThat(allow.allows(null)).isFalse();
    }

    @Test
    void badEntriesNameTheirPlace() {
        assertThatThrownBy(() -> AllowList.parse(List.of("10.0.0.0/8", "10.0.0.0/33"), "rules.yaml: allow"))
                .isInstanceOf(RulesError.class).hasMessage("rules.yaml: allow[1]: prefix length must be 0 to 32: '10.0.0.0/33'");
        assertThatThrownBy(() -> AllowList.parse(List.of("intranet"), "allow"))
                .isInstanceOf(RulesError.class).hasMessageContaining("allow[0]");
    }
}
