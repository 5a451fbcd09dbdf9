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
        for (int b = 0; b < 16; b++) {
            int keep = Math.max(0, Math.min(8, bits - b * 8));
            a[b] &= (byte) (0xff << (8 - keep));
        }
        return text(a) + "/" + bits;
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
