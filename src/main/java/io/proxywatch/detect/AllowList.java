package io.proxywatch.detect;

import io.proxywatch.rules.RulesError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Client IPs and CIDR ranges the detectors leave alone. IPv4 is parsed by hand into an int: this runs on every
 * access record, and the string in a log line must never be handed to anything that could resolve a host name.
 */
public final class AllowList {
    public static final AllowList EMPTY = new AllowList(new int[0], new int[0], List.of(), List.of());

    private final int[] v4Networks;
    private final int[] v4Masks;
    /**
     * The first octets an IPv4 entry can match, as a 256-bit set: with the usual short list (127.0.0.1, a few
     * private ranges) nearly every address is turned away on its first digits, before it is parsed.
     */
    private final long[] v4FirstOctets = new long[4];
    private final List<byte[][]> v6; // {network, mask}
    private final List<String> entries; // as written, for the start-up banner and the reload log line

    private AllowList(int[] v4Networks, int[] v4Masks, List<byte[][]> v6, List<String> entries) {
        this.entries = entries;
        this.v4Networks = v4Networks;
        this.v4Masks = v4Masks;
        this.v6 = v6;
        for (int i = 0; i < v4Networks.length; i++) {
            int net = v4Networks[i] >>> 24;
            int mask = v4Masks[i] >>> 24;
            for (int octet = 0; octet < 256; octet++) {
                if ((octet & mask) == net) {
                    v4FirstOctets[octet >>> 6] |= 1L << octet;
                }
            }
        }
    }

    /** Entries like {@code 10.0.0.0/8}, {@code 203.0.113.7}, {@code ::1/128}, {@code 2001:db8::/32}. */
    public static AllowList parse(List<String> entries, String where) {
        List<Integer> nets = new ArrayList<>();
        List<Integer> masks = new ArrayList<>();
        List<byte[][]> v6 = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).trim();
            String at = where + "[" + i + "]";
            int slash = entry.indexOf('/');
            String addr = slash < 0 ? entry : entry.substring(0, slash);
            if (addr.indexOf(':') < 0) {
                long ip = parseV4(addr);
                int bits = prefix(entry, slash, 32, at);
                if (ip < 0) {
                    throw new RulesError(at, "not an IPv4 or IPv6 address or CIDR range: '" + entry + "'");
                }
                int mask = bits == 0 ? 0 : -1 << (32 - bits);
                nets.add((int) ip & mask);
                masks.add(mask);
            } else {
                byte[] ip = parseV6(addr);
                if (ip == null) {
                    throw new RulesError(at, "not an IPv4 or IPv6 address or CIDR range: '" + entry + "'");
                }
                int bits = prefix(entry, slash, 128, at);
                if (isMappedV4(ip) && bits >= 96) {
                    // an IPv4 range written the IPv6 way: clients are read as IPv4 (::ffff:10.1.2.3 as 10.1.2.3)
                    int mask = bits == 96 ? 0 : -1 << (128 - bits);
                    nets.add(v4Of(ip) & mask);
                    masks.add(mask);
                    continue;
                }
                byte[] mask = new byte[16];
                for (int b = 0; b < 16; b++) {
                    int left = Math.max(0, Math.min(8, bits - b * 8));
                    mask[b] = (byte) (0xff << (8 - left));
                    ip[b] &= mask[b];
                }
                v6.add(new byte[][] {ip, mask});
            }
        }
        return new AllowList(nets.stream().mapToInt(Integer::intValue).toArray(),
                masks.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(v6),
                entries.stream().map(String::trim).toList());
    }

    /** The entries as written in the rules file. */
    public List<String> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return v4Networks.length == 0 && v6.isEmpty();
    }

    public boolean allows(String clientIp) {
        if (clientIp == null || isEmpty()) {
            return false;
        }
        // IPv4 is told by its first octet and dot, not by looking for a ':' through the whole text first
        int first = leadingOctet(clientIp);
        if (first >= 0) {
            if ((v4FirstOctets[first >>> 6] & 1L << first) == 0) {
                return false;
            }
            long ip = parseV4(clientIp);
            return ip >= 0 && allowsV4((int) ip);
        }
        if (clientIp.indexOf(':') < 0) {
            return false; // neither IPv4 nor IPv6
        }
        byte[] ip = parseV6(clientIp);
        if (ip == null) {
            return false;
        }
        // ::ffff:a.b.c.d is an IPv4 client as a dual-stack socket reports it: the IPv4 entries apply too
        if (isMappedV4(ip) && allowsV4(v4Of(ip))) {
            return true;
        }
        for (byte[][] range : v6) {
            if (matches(ip, range[0], range[1])) {
                return true;
            }
        }
        return false;
    }

    private boolean allowsV4(int ip) {
        for (int i = 0; i < v4Networks.length; i++) {
            if ((ip & v4Masks[i]) == v4Networks[i]) {
                return true;
            }
        }
        return false;
    }

    /** The IPv4 address in the last four bytes. */
    private static int v4Of(byte[] ip) {
        return (ip[12] & 0xff) << 24 | (ip[13] & 0xff) << 16 | (ip[14] & 0xff) << 8 | (ip[15] & 0xff);
    }

    private static boolean isMappedV4(byte[] ip) {
        for (int b = 0; b < 10; b++) {
            if (ip[b] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }

    private static boolean matches(byte[] ip, byte[] network, byte[] mask) {
        for (int b = 0; b < 16; b++) {
            if ((ip[b] & mask[b]) != network[b]) {
                return false;
            }
        }
        return true;
    }

    private static int prefix(String entry, int slash, int max, String at) {
        if (slash < 0) {
            return max;
        }
        try {
            int bits = Integer.parseInt(entry.substring(slash + 1));
            if (bits >= 0 && bits <= max) {
                return bits;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new RulesError(at, "prefix length must be 0 to " + max + ": '" + entry + "'");
    }

    /** The number before the first dot when the text starts with digits (0 to 255) and a dot, else -1. */
    private static int leadingOctet(String s) {
        int octet = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                return i > 0 ? octet : -1;
            }
            if (c < '0' || c > '9') {
                return -1;
            }
            octet = octet * 10 + (c - '0');
            if (octet > 255) {
                return -1;
            }
        }
        return -1;
    }

    /** The address as an unsigned int in a long, or -1 when it is not a dotted quad. */
    static long parseV4(String s) {
        long ip = 0;
        int octet = -1;
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                octet = (octet < 0 ? 0 : octet * 10) + (c - '0');
                if (octet > 255) {
                    return -1;
                }
            } else if (c == '.' && octet >= 0 && dots < 3) {
                ip = ip << 8 | octet;
                octet = -1;
                dots++;
            } else {
                return -1;
            }
        }
        return dots == 3 && octet >= 0 ? ip << 8 | octet : -1;
    }

    /**
     * The 16 bytes of an IPv6 literal (brackets and a zone id dropped; a dotted IPv4 may end it), or null: read by
     * hand, because {@code InetAddress} looks up as a host name any text not starting with a hex digit or ':'
     * (".:" sent a DNS query, under the detectors' lock, for a client address a request can set) and reads an empty
     * one ("%:" once its zone is dropped) as the loopback address.
     */
    static byte[] parseV6(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        int zone = t.indexOf('%');
        if (zone >= 0) {
            t = t.substring(0, zone);
        }
        int n = t.length();
        byte[] out = new byte[16];
        int groups = 0;  // 16-bit groups read
        int gap = -1;    // where "::" stands, in groups
        int i = 0;
        if (t.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (n == 0 || t.charAt(0) == ':') {
            return null;
        }
        while (i < n) {
            int end = i;
            int value = 0;
            while (end < n && hexDigit(t.charAt(end)) >= 0 && value <= 0xffff) { // leading zeros as the JDK takes
                value = value << 4 | hexDigit(t.charAt(end));
                end++;
            }
            if (end < n && t.charAt(end) == '.') { // a dotted IPv4 ends it: two groups
                long v4 = groups <= 6 ? parseV4(t.substring(i)) : -1;
                if (v4 < 0) {
                    return null;
                }
                for (int b = 0; b < 4; b++) {
                    out[groups * 2 + b] = (byte) (v4 >>> (24 - 8 * b));
                }
                groups += 2;
                break;
            }
            if (end == i || value > 0xffff || groups == 8) {
                return null;
            }
            out[groups * 2] = (byte) (value >>> 8);
            out[groups * 2 + 1] = (byte) value;
            groups++;
            if (end == n) {
                break;
            }
            if (t.charAt(end) != ':' || end + 1 == n) {
                return null; // not a separator, or a ':' at the end
            }
            i = end + 1;
            if (t.charAt(i) == ':') {
                if (gap >= 0) {
                    return null; // "::" twice
                }
                gap = groups;
                i++;
            }
        }
        if (gap < 0) {
            return groups == 8 ? out : null;
        }
        if (groups == 8) {
            return null; // "::" stands for one group at least
        }
        int after = groups - gap; // groups read after "::", moved to the end
        System.arraycopy(out, gap * 2, out, 16 - after * 2, after * 2);
        Arrays.fill(out, gap * 2, 16 - after * 2, (byte) 0);
        return out;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
