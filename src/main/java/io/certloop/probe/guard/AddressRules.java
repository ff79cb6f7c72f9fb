package io.certloop.probe.guard;

import io.certloop.probe.InvalidProbeRequestException;
import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Address spellings and the addresses a probe must never reach. Attackers spell the metadata
 * address many ways (2852039166, 0xA9FEA9FE, 0251.0376.0251.0376, ::ffff:169.254.169.254,
 * full-width digits, punycode), so names are normalised the way resolvers read them and every
 * decision is taken on the address bytes.
 */
public final class AddressRules {

    /** Well-known cloud metadata and host-agent addresses (AWS, ECS, GCP, Azure, Alibaba, Oracle). */
    static final List<String> METADATA_ADDRESSES = List.of(
            "169.254.169.254",
            "169.254.170.2",
            "169.254.169.253",
            "169.254.169.123",
            "fd00:ec2::254",
            "fd00:ec2::23",
            "fd20:ce::254",
            "100.100.100.200",
            "168.63.129.16",
            "192.0.0.192");

    /** Names that resolve to metadata services from inside a cloud. */
    static final Set<String> METADATA_NAMES = Set.of(
            "metadata",
            "metadata.google.internal",
            "metadata.goog",
            "instance-data",
            "instance-data.ec2.internal",
            "metadata.tencentyun.com");

    private static final List<byte[]> METADATA_BYTES = METADATA_ADDRESSES.stream()
            .map(AddressRules::literal)
            .map(InetAddress::getAddress)
            .toList();

    /**
     * Ranges that are not the public internet, with what they are. A revocation URL comes from a
     * certificate, i.e. from whoever runs the probed server, so it may reach these only when the
     * operator allowlisted the address (RFC 6890 special-purpose registries, the ones that matter).
     */
    private static final List<Map.Entry<Cidr, String>> NON_PUBLIC = Stream.of(
                    Map.entry("0.0.0.0/8", "unspecified"),
                    Map.entry("10.0.0.0/8", "private"),
                    Map.entry("100.64.0.0/10", "carrier-grade NAT"),
                    Map.entry("127.0.0.0/8", "loopback"),
                    Map.entry("169.254.0.0/16", "link-local"),
                    Map.entry("172.16.0.0/12", "private"),
                    Map.entry("192.0.0.0/24", "IETF protocol assignment"),
                    Map.entry("192.168.0.0/16", "private"),
                    Map.entry("198.18.0.0/15", "benchmarking"),
                    Map.entry("224.0.0.0/4", "multicast"),
                    Map.entry("240.0.0.0/4", "reserved"),
                    Map.entry("::/128", "unspecified"),
                    Map.entry("::1/128", "loopback"),
                    Map.entry("100::/64", "discard-only"),
                    Map.entry("fc00::/7", "unique-local"),
                    Map.entry("fe80::/10", "link-local"),
                    Map.entry("fec0::/10", "site-local"),
                    Map.entry("ff00::/8", "multicast"))
            .map(e -> Map.entry(Cidr.parse(e.getKey()).orElseThrow(), e.getValue()))
            .toList();

    private AddressRules() {}

    /**
     * Normalises a host the way a resolver will read it: brackets and a trailing dot dropped,
     * Unicode (including full-width digits and dots) and punycode folded to lower-case ASCII.
     */
    static String normalizeHost(String host) {
        String value = host.strip();
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.contains(":")) {
            return value.toLowerCase(Locale.ROOT);
        }
        try {
            value = IDN.toASCII(IDN.toUnicode(value, IDN.ALLOW_UNASSIGNED), IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new InvalidProbeRequestException("host", "not a valid host name: " + host);
        }
        while (value.endsWith(".")) {
            value = value.substring(0, value.length() - 1);
        }
        return value.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses an IP literal in any spelling the C resolver accepts (inet_aton: one to four parts,
     * decimal, 0x hex or 0-prefixed octal) or an IPv6 literal. Never does a DNS lookup.
     */
    public static Optional<InetAddress> parseLiteral(String normalizedHost) {
        if (normalizedHost.contains(":")) {
            String withoutZone = normalizedHost.contains("%")
                    ? normalizedHost.substring(0, normalizedHost.indexOf('%'))
                    : normalizedHost;
            if (!withoutZone.matches("[0-9a-f:.]+")) {
                return Optional.empty();
            }
            try {
                return Optional.of(InetAddress.getByName(withoutZone));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        String[] parts = normalizedHost.split("\\.", -1);
        if (parts.length == 0 || parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long value = parseNumber(parts[i]);
            if (value == null) {
                return Optional.empty();
            }
            values[i] = value;
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                return Optional.empty();
            }
            address |= values[i] << (8 * (3 - i));
        }
        long last = values[parts.length - 1];
        long lastMax = (1L << (8 * (4 - (parts.length - 1)))) - 1;
        if (last > lastMax) {
            return Optional.empty();
        }
        address |= last;
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Long parseNumber(String part) {
        try {
            if (part.isEmpty()) {
                return null;
            }
            if (part.startsWith("0x")) {
                return part.length() == 2 ? 0L : parseBounded(part.substring(2), 16);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return parseBounded(part.substring(1), 8);
            }
            return parseBounded(part, 10);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long parseBounded(String digits, int radix) {
        if (digits.length() > 12) {
            return null;
        }
        long value = Long.parseLong(digits, radix);
        return value < 0 || value > 0xFFFFFFFFL ? null : value;
    }

    /**
     * Why this address must not be probed, or empty. Embedded IPv4 addresses (mapped, compatible,
     * NAT64, 6to4) are checked as themselves.
     */
    static Optional<String> forbiddenReason(InetAddress address) {
        for (InetAddress candidate : withEmbedded(address)) {
            String text = candidate.getHostAddress();
            if (METADATA_BYTES.stream().anyMatch(bytes -> Arrays.equals(bytes, candidate.getAddress()))) {
                return Optional.of("cloud metadata address " + text + " is never probed");
            }
            if (candidate.isLinkLocalAddress()) {
                return Optional.of("link-local address " + text + " is never probed");
            }
            if (candidate.isAnyLocalAddress()) {
                return Optional.of("unspecified address " + text + " is never probed");
            }
            if (candidate.isMulticastAddress()) {
                return Optional.of("multicast address " + text + " is never probed");
            }
        }
        return Optional.empty();
    }

    /**
     * What kind of non-public address this is (loopback, private, unique-local, link-local,
     * unspecified, multicast, carrier-grade NAT, ...), or empty for a public address. Embedded IPv4
     * addresses count as themselves.
     */
    static Optional<String> nonPublicKind(InetAddress address) {
        for (Map.Entry<Cidr, String> range : NON_PUBLIC) {
            if (range.getKey().contains(address)) {
                return Optional.of(range.getValue());
            }
        }
        return Optional.empty();
    }

    /** The address and any IPv4 address embedded in an IPv6 one. */
    static List<InetAddress> withEmbedded(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return List.of(address);
        }
        byte[] b = address.getAddress();
        byte[] v4 = null;
        boolean firstTenZero = allZero(b, 0, 10);
        if (firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            v4 = Arrays.copyOfRange(b, 12, 16); // ::ffff:a.b.c.d
        } else if (firstTenZero && b[10] == 0 && b[11] == 0 && !allZero(b, 12, 15)) {
            v4 = Arrays.copyOfRange(b, 12, 16); // ::a.b.c.d (deprecated compatible form)
        } else if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            v4 = Arrays.copyOfRange(b, 12, 16); // 64:ff9b::/96 NAT64
        } else if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            v4 = Arrays.copyOfRange(b, 2, 6); // 2002::/16 6to4
        }
        if (v4 == null) {
            return List.of(address);
        }
        try {
            return List.of(address, Inet4Address.getByAddress(v4));
        } catch (UnknownHostException e) {
            return List.of(address);
        }
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress literal(String text) {
        return parseLiteral(text).orElseThrow(() -> new IllegalStateException(text));
    }

    /** A CIDR block such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a /32 or /128. */
    record Cidr(byte[] network, int prefix, String text) {

        static Optional<Cidr> parse(String value) {
            String[] parts = value.strip().split("/", 2);
            Optional<InetAddress> base = parseLiteral(normalizeHost(parts[0]));
            if (base.isEmpty()) {
                return Optional.empty();
            }
            byte[] bytes = base.get().getAddress();
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bytes.length * 8;
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("bad CIDR prefix in " + value);
            }
            return Optional.of(new Cidr(bytes, prefix, value.strip()));
        }

        boolean contains(InetAddress address) {
            for (InetAddress candidate : withEmbedded(address)) {
                byte[] bytes = candidate.getAddress();
                if (bytes.length == network.length && prefixMatches(bytes)) {
                    return true;
                }
            }
            return false;
        }

        private boolean prefixMatches(byte[] bytes) {
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }
}
