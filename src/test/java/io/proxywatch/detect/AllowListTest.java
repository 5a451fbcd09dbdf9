package io.proxywatch.detect;

import io.proxywatch.rules.RulesError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

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
    void turningAddressesAwayOnTheirFirstOctetNeverChangesAVerdict() {
        List<List<String>> lists = List.of(List.of("10.0.0.0/8", "203.0.113.7", "192.168.1.128/25"),
                List.of("127.0.0.1/32"), List.of("0.0.0.0/0"), List.of("128.0.0.0/1", "96.0.0.0/3"),
                List.of("172.16.0.0/12", "100.64.0.0/10", "255.255.255.255"));
        List<String> edges = List.of("127.0.0.1", "0127.0.0.1", "00000127.0.0.1", "127.0.0.01", "1.2.3.4", "0.0.0.0",
                "255.255.255.255", "256.0.0.1", ".1.2.3", "127..0.1", "127.0.0", "127.0.0.1.", "127", "1270.0.0.1",
                "172.31.255.255", "172.32.0.0", "100.127.0.1", "100.128.0.1", "96.1.1.1", "95.255.255.255", "-1.0.0.0",
                "010.1.1.1", "203.0.113.7", "203.0.113.8", "192.168.1.128", "192.168.1.127");
        Random random = new Random(7);
        for (List<String> ranges : lists) {
            AllowList list = AllowList.parse(ranges, "allow");
            for (String ip : edges) {
                assertThat(list.allows(ip)).as(ranges + " " + ip).isEqualTo(inAnyRange(ranges, ip));
            }
            for (int i = 0; i < 100_000; i++) {
                String ip = random.nextInt(260) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                        + random.nextInt(256);
                assertThat(list.allows(ip)).as(ranges + " " + ip).isEqualTo(inAnyRange(ranges, ip));
            }
        }
        assertThat(AllowList.parse(lists.get(2), "allow").allows("8.8.8.8")).isTrue();
        assertThat(AllowList.parse(lists.get(3), "allow").allows("200.1.1.1")).isTrue();
        assertThat(AllowList.parse(lists.get(3), "allow").allows("64.1.1.1")).isFalse();
    }

    /** The verdict worked out here, independently: the whole address against every range's network and mask. */
    private static boolean inAnyRange(List<String> ranges, String ip) {
        long v = AllowList.parseV4(ip);
        if (v < 0) {
            return false;
        }
        for (String range : ranges) {
            String[] parts = range.split("/");
            long net = AllowList.parseV4(parts[0]);
            int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
            long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
            if ((v & mask) == (net & mask)) {
                return true;
            }
        }
        return false;
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

    @Test
    void ipv6LiteralsReadAsTheJdkReadsThem() throws Exception {
        // the JDK as the oracle, only on texts starting with a hex digit or ':' (which it never resolves as names)
        List<String> literals = List.of("::", "::1", "1::", "2001:db8::1", "2001:DB8:0:0:0:0:0:1", "fe80::1%eth0",
                "[2001:db8::7]", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1::8", "::ffff:10.1.2.3",
                "::10.1.2.3", "1:2:3:4:5:6:10.1.2.3", "0:0:0:0:0:ffff:a01:203", "abcd:ef01:2345:6789:abcd:ef01:2345:6789",
                "::00001", "0000000000001::");
        for (String literal : literals) {
            String bare = literal.replaceAll("^\\[|\\]$", "").replaceAll("%.*", "");
            byte[] jdk = java.net.InetAddress.getByName(bare).getAddress();
            if (jdk.length == 4) { // the JDK answers ::ffff:a.b.c.d as IPv4
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(jdk, 0, mapped, 12, 4);
                jdk = mapped;
            }
            assertThat(AllowList.parseV6(literal)).as(literal).isEqualTo(jdk);
        }
        for (String bad : List.of(":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", ":1::", "1:", "1::2:",
                "g::1", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5", "", "%:", ".:", "[]", "::\u0663")) {
            assertThat(AllowList.parseV6(bad)).as(bad).isNull();
        }
    }

    @Test
    void noClientAddressIsLookedUpOrReadAsTheLoopback() {
        AllowList loopback = AllowList.parse(List.of("127.0.0.1/32", "::1/128"), "allow");
        // "%:" was "" once its zone was dropped, which InetAddress reads as the loopback address; ".:" and
        // "localhost:" were host names to InetAddress, looked up while the chunk held the detectors' lock
        for (String sent : List.of("%:", "%eth0:", ".:", "localhost:", "[%:]", "::%")) {
            assertThat(loopback.allows(sent)).as(sent).isFalse();
            if (!sent.equals("::%")) {
                assertThat(AllowList.parseV6(sent)).as("%s is no address", sent).isNull();
            }
        }
        assertThat(AllowList.parseV6("::%")).as("'::' with an empty zone: the unspecified address").containsOnly(0);
    }

    @Test
    void anIpv4RangeWrittenTheIpv6WayAllowsItsClientsAsTheParserReadsThem() {
        AllowList mapped = AllowList.parse(List.of("::ffff:10.0.0.0/104", "::ffff:203.0.113.7"), "allow");
        assertThat(mapped.allows("10.1.2.3")).isTrue();
        assertThat(mapped.allows("::ffff:10.1.2.3")).isTrue();
        assertThat(mapped.allows("203.0.113.7")).isTrue();
        assertThat(mapped.allows("203.0.113.8")).isFalse();
        assertThat(mapped.allows("11.1.2.3")).isFalse();
        assertThat(AllowList.parse(List.of("::ffff:0:0/96"), "allow").allows("198.51.100.1")).as("every IPv4").isTrue();
    }

    @Test
    void anIpv4ClientWrittenTheIpv6WayIsAllowedByItsIpv4Entry() {
        AllowList loopback = AllowList.parse(List.of("127.0.0.1/32", "::1/128"), "allow");
        assertThat(loopback.allows("::ffff:127.0.0.1")).isTrue();
        assertThat(loopback.allows("::FFFF:127.0.0.1")).isTrue();
        assertThat(loopback.allows("::ffff:127.0.0.2")).isFalse();
        assertThat(allow.allows("::ffff:10.9.8.7")).isTrue();
        assertThat(allow.allows("::ffff:11.9.8.7")).isFalse();
        assertThat(allow.allows("::1")).isTrue();
        assertThat(allow.allows("2001:db8:ffff::1")).isTrue();
        assertThat(allow.allows("2001:db9::1")).isFalse();
    }
}
