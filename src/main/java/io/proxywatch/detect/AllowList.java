package io.proxywatch.detect;

import io.proxywatch.rules.RulesError;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Client IPs and CIDR ranges the detectors leave alone. IPv4 is parsed by hand into an int: this runs on every
 * access record, and the string in a log line must never be handed to anything that could resolve a host name.
 */
public final class AllowList {
    public static final AllowList EMPTY = new AllowList(new int[0], new int[0], List.of());

    private final int[] v4Networks;
    private final int[] v4Masks;
    /**
     * The first octets an IPv4 entry can match, as a 256-bit set: with the usual short list (127.0.0.1, a few
     * private ranges) nearly every address is turned away on its first digits, before it is parsed.
     */
    private final long[] v4FirstOctets = new long[4];
    private final List<byte[][]> v6; // {network, mask}

    private AllowList(int[] v4Networks, int[] v4Masks, List<byte[][]> v6) {
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
                masks.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(v6));
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
            if (ip < 0) {
                return false;
            }
            for (int i = 0; i < v4Networks.length; i++) {
                if (((int) ip & v4Masks[i]) == v4Networks[i]) {
                    return true;
                }
            }
            return false;
        }
        if (clientIp.indexOf(':') < 0) {
            return false; // neither IPv4 nor IPv6
        }
        if (v6.isEmpty()) {
            return false;
        }
        byte[] ip = parseV6(clientIp);
        if (ip == null) {
            return false;
        }
        for (byte[][] range : v6) {
            if (matches(ip, range[0], range[1])) {
                return true;
            }
        }
        return false;
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

    /** 16 bytes, or null. Only strings with a ':' get here, which InetAddress treats as a literal, never a name. */
    private static byte[] parseV6(String s) {
        String literal = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            boolean ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return null;
            }
        }
        try {
            byte[] a = InetAddress.getByName(literal).getAddress();
            if (a.length == 4) { // ::ffff:a.b.c.d comes back as IPv4
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(a, 0, mapped, 12, 4);
                return mapped;
            }
            return a;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
