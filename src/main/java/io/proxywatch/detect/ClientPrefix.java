package io.proxywatch.detect;

/**
 * The network an IPv6 client is counted as by the rate rules ({@code rate: ipv6-prefix}, 64 by default): a host
 * is given a whole /64, so counted by its full address one machine could send each request from another address
 * of its own and never cross a limit. Written the way people read it, {@code 2001:db8:1:2::/64}.
 */
final class ClientPrefix {
    private ClientPrefix() {
    }

    /**
     * {@code ip}'s first {@code bits} bits as a network, or {@code ip} itself: an IPv4 address, a prefix of 128, or
     * text that is no IPv6 address.
     */
    static String of(String ip, int bits) {
        if (bits >= 128 || ip.indexOf(':') < 0) {
            return ip;
        }
        byte[] a = AllowList.parseV6(ip);
        if (a == null) {
            return ip;
        }
        if (embedsV4(a)) {
            // an IPv4 client written the IPv6 way (a NAT64 or SIIT front end, a dual-stack socket): one address of
            // its own, as the same client over IPv4 is; taken as a network, every IPv4 client was one key
            return (a[12] & 0xff) + "." + (a[13] & 0xff) + "." + (a[14] & 0xff) + "." + (a[15] & 0xff);
        }
        for (int b = 0; b < 16; b++) {
            int keep = Math.max(0, Math.min(8, bits - b * 8));
            a[b] &= (byte) (0xff << (8 - keep));
        }
        return text(a) + "/" + bits;
    }

    /**
     * Whether the address is an IPv4 one in an IPv6 form: {@code ::ffff:0:0/96} (mapped), {@code 64:ff9b::/96}
     * (NAT64's well-known prefix) or {@code ::/96} (compatible, deprecated; not {@code ::} nor {@code ::1}).
     */
    private static boolean embedsV4(byte[] a) {
        for (int b = 4; b < 10; b++) {
            if (a[b] != 0) {
                return false;
            }
        }
        int g0 = (a[0] & 0xff) << 8 | (a[1] & 0xff);
        int g1 = (a[2] & 0xff) << 8 | (a[3] & 0xff);
        int g5 = (a[10] & 0xff) << 8 | (a[11] & 0xff);
        if (g0 == 0x64 && g1 == 0xff9b && g5 == 0) {
            return true;
        }
        if (g0 != 0 || g1 != 0) {
            return false;
        }
        return g5 == 0xffff || g5 == 0 && ((a[12] | a[13] | a[14]) != 0 || (a[15] & 0xff) > 1);
    }

    /** RFC 5952's form: groups in lower-case hex without leading zeros, the longest run of two or more zero groups as "::". */
    private static String text(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        }
        int runAt = -1;
        int runLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > runLength) {
                runAt = i;
                runLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            if (i == runAt) {
                out.append("::");
                i += runLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(g[i]));
        }
        return out.toString();
    }
}
