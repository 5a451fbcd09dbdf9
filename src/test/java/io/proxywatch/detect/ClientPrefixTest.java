package io.proxywatch.detect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ClientPrefixTest {
    @ParameterizedTest(name = "{0} /{1}")
    @CsvSource(delimiter = '|', value = {
            "2001:db8:1:2::96               | 64  | 2001:db8:1:2::/64",
            "2001:DB8:1:2:aaaa:bbbb:cccc:1  | 64  | 2001:db8:1:2::/64",
            "2001:0db8:0001:0002::1         | 64  | 2001:db8:1:2::/64",
            "2001:db8:0:0:1::1              | 64  | 2001:db8::/64",
            "2001:db8:1:2:3:4:5:6           | 48  | 2001:db8:1::/48",
            "2001:db8:1:2:3:4:5:6           | 56  | 2001:db8:1::/56",
            "2001:db8:1:2ff:3:4:5:6         | 56  | 2001:db8:1:200::/56",
            "2001:db8:1:2:3:4:5:6           | 128 | 2001:db8:1:2:3:4:5:6",
            "fe80::1%eth0                   | 64  | fe80::/64",
            "::1                            | 64  | ::/64",
            "203.0.113.9                    | 64  | 203.0.113.9",
            // an IPv4 client in an IPv6 form: its own address, not a network all IPv4 clients share
            "64:ff9b::c000:201              | 64  | 192.0.2.1",
            "64:ff9b::198.51.100.7          | 64  | 198.51.100.7",
            "::ffff:c000:201                | 64  | 192.0.2.1",
            "::1.2.3.4                      | 64  | 1.2.3.4",
            "64:ff9b:1::c000:201            | 64  | 64:ff9b:1::/64",
            "not:an:address::x              | 64  | not:an:address::x"})
    void anIpv6ClientIsItsNetwork(String ip, int bits, String network) {
        assertThat(ClientPrefix.of(ip, bits)).isEqualTo(network);
    }
}
