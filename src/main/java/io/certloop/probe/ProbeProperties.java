package io.certloop.probe;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code certloop.probe}. Defaults are safe: nothing but inventory endpoints is an
 * allowed target, link-local and metadata addresses are refused, and a hung peer costs at most the
 * two timeouts.
 *
 * @param allowlist          host patterns ({@code *.example.com}, exact names) and CIDRs ({@code 10.0.0.0/8})
 *                           that may be probed besides inventory endpoints
 * @param denylist           extra CIDRs that are never probed, on top of link-local and metadata
 * @param refuseLinkLocal    refuse link-local and cloud metadata addresses (keep true outside tests of the guard)
 * @param connectTimeout     how long a TCP connect may take
 * @param handshakeTimeout   how long the TLS handshake may take
 * @param revocationTimeout  what revocation fetches may add to a probe: its deadline is the connect and handshake
 *                           timeouts of every address plus this, and every fetch waits at most what remains of it
 * @param revocationEnabled  check revocation (off for benchmarks and air-gapped estates)
 * @param bouncyCastleTls    handshake with BouncyCastle's TLS client and crypto (about twice as cheap per
 *                           handshake as JSSE on JDK 17's SunEC); false uses the JDK's JSSE. Only probe sockets
 *                           are affected, no JCA provider is registered (docs/adr/0001-probe-crypto-providers.md)
 * @param cacheSize          how many sent chains (their verdicts) and server keys (decoded, with their
 *                           precomputation) the prober remembers; size it at or above the number of endpoints the
 *                           detection loop watches: a least-recently-used cache smaller than the cycle never hits
 * @param keyShareUses       how many probe handshakes one X25519 client key share serves (at most a minute), on the
 *                           BouncyCastle stack; 1 = a fresh one each time (see ReusedX25519KeyShare)
 * @param trust              trust store additions
 * @param policy             what counts as a problem
 * @param detection          the detection loop over the inventory
 * @param revocationFetch    size caps and cache of CRL and OCSP fetches
 */
@ConfigurationProperties("certloop.probe")
public record ProbeProperties(
        List<String> allowlist,
        List<String> denylist,
        @DefaultValue("true") boolean refuseLinkLocal,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("5s") Duration handshakeTimeout,
        @DefaultValue("5s") Duration revocationTimeout,
        @DefaultValue("true") boolean revocationEnabled,
        @DefaultValue("true") boolean bouncyCastleTls,
        @DefaultValue("4096") int cacheSize,
        @DefaultValue("64") int keyShareUses,
        @DefaultValue Trust trust,
        @DefaultValue Policy policy,
        @DefaultValue Detection detection,
        @DefaultValue RevocationFetch revocationFetch) {

    public ProbeProperties {
        allowlist = allowlist == null ? List.of() : List.copyOf(allowlist);
        denylist = denylist == null ? List.of() : List.copyOf(denylist);
        if (cacheSize < 1) {
            throw new IllegalArgumentException("certloop.probe.cache-size must be at least 1, was " + cacheSize);
        }
        if (keyShareUses < 1) {
            throw new IllegalArgumentException("certloop.probe.key-share-uses must be at least 1, was " + keyShareUses);
        }
        trust = trust == null ? new Trust(null) : trust;
        policy = policy == null ? Policy.defaults() : policy;
        detection = detection == null ? Detection.defaults() : detection;
        revocationFetch = revocationFetch == null ? RevocationFetch.defaults() : revocationFetch;
    }

    /** The defaults, as a server without any {@code certloop.probe} setting has them. */
    public static ProbeProperties defaults() {
        return new ProbeProperties(
                null,
                null,
                true,
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                true,
                true,
                4096,
                64,
                null,
                null,
                null,
                null);
    }

    public ProbeProperties withAllowlist(List<String> allowlist) {
        return with(copy -> copy.allowlist = allowlist);
    }

    public ProbeProperties withTimeouts(Duration connect, Duration handshake, Duration revocation) {
        return with(copy -> {
            copy.connectTimeout = connect;
            copy.handshakeTimeout = handshake;
            copy.revocationTimeout = revocation;
        });
    }

    public ProbeProperties withRevocationEnabled(boolean enabled) {
        return with(copy -> copy.revocationEnabled = enabled);
    }

    public ProbeProperties withBouncyCastleTls(boolean enabled) {
        return with(copy -> copy.bouncyCastleTls = enabled);
    }

    public ProbeProperties withCacheSize(int size) {
        return with(copy -> copy.cacheSize = size);
    }

    public ProbeProperties withRevocationFetch(RevocationFetch fetch) {
        return with(copy -> copy.revocationFetch = fetch);
    }

    /** These settings with one change, checked by the constructor like any others. */
    private ProbeProperties with(Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return new ProbeProperties(
                copy.allowlist,
                copy.denylist,
                copy.refuseLinkLocal,
                copy.connectTimeout,
                copy.handshakeTimeout,
                copy.revocationTimeout,
                copy.revocationEnabled,
                copy.bouncyCastleTls,
                copy.cacheSize,
                copy.keyShareUses,
                copy.trust,
                copy.policy,
                copy.detection,
                copy.revocationFetch);
    }

    /** The components of a {@link ProbeProperties} while one of them changes. */
    private static final class Copy {
        List<String> allowlist;
        List<String> denylist;
        boolean refuseLinkLocal;
        Duration connectTimeout;
        Duration handshakeTimeout;
        Duration revocationTimeout;
        boolean revocationEnabled;
        boolean bouncyCastleTls;
        int cacheSize;
        int keyShareUses;
        Trust trust;
        Policy policy;
        Detection detection;
        RevocationFetch revocationFetch;

        Copy(ProbeProperties of) {
            allowlist = of.allowlist;
            denylist = of.denylist;
            refuseLinkLocal = of.refuseLinkLocal;
            connectTimeout = of.connectTimeout;
            handshakeTimeout = of.handshakeTimeout;
            revocationTimeout = of.revocationTimeout;
            revocationEnabled = of.revocationEnabled;
            bouncyCastleTls = of.bouncyCastleTls;
            cacheSize = of.cacheSize;
            keyShareUses = of.keyShareUses;
            trust = of.trust;
            policy = of.policy;
            detection = of.detection;
            revocationFetch = of.revocationFetch;
        }
    }

    /**
     * Bounds on the CRLs and OCSP answers a probe fetches (their URLs come from the probed certificate, i.e. from
     * whoever runs the probed server). At most two CRL and two OCSP URLs of a certificate are tried.
     *
     * @param crlMaxSize   largest CRL read; the read stops at this size and the status is UNKNOWN ({@code too-large})
     * @param ocspMaxSize  largest OCSP response read
     * @param cacheMaxAge  longest a fetched CRL or OCSP answer is reused; sooner when its nextUpdate comes first
     * @param cacheMaxSize what the cached CRLs and OCSP answers may weigh together (their encoded sizes); the least
     *                     recently used leave first
     */
    public record RevocationFetch(
            @DefaultValue("10MB") DataSize crlMaxSize,
            @DefaultValue("64KB") DataSize ocspMaxSize,
            @DefaultValue("1h") Duration cacheMaxAge,
            @DefaultValue("64MB") DataSize cacheMaxSize) {

        public RevocationFetch {
            if (crlMaxSize.toBytes() < 1 || crlMaxSize.toBytes() > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("certloop.probe.revocation-fetch.crl-max-size is out of range");
            }
            if (ocspMaxSize.toBytes() < 1 || ocspMaxSize.toBytes() > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("certloop.probe.revocation-fetch.ocsp-max-size is out of range");
            }
        }

        public static RevocationFetch defaults() {
            return new RevocationFetch(
                    DataSize.ofMegabytes(10), DataSize.ofKilobytes(64), Duration.ofHours(1), DataSize.ofMegabytes(64));
        }
    }

    /** @param extraRoots PEM files with extra roots (internal CAs), comma-separated in properties */
    public record Trust(List<String> extraRoots) {
        public Trust {
            extraRoots = extraRoots == null ? List.of() : List.copyOf(extraRoots);
        }
    }

    /**
     * @param expiringSoon         EXPIRING_SOON windows for tiers 0 (most critical) to 3; ad-hoc probes without a
     *                             tier use tier 0's
     * @param minRsaBits           smallest RSA key that is not weak
     * @param minEcBits            smallest EC key that is not weak
     * @param weakSignatureDigests digest names that make a signature weak, matched inside the algorithm name
     */
    public record Policy(
            @DefaultValue({"30d", "21d", "14d", "7d"}) List<Duration> expiringSoon,
            @DefaultValue("2048") int minRsaBits,
            @DefaultValue("256") int minEcBits,
            @DefaultValue({"MD2", "MD5", "SHA1"}) List<String> weakSignatureDigests) {

        static Policy defaults() {
            return new Policy(
                    List.of(Duration.ofDays(30), Duration.ofDays(21), Duration.ofDays(14), Duration.ofDays(7)),
                    2048,
                    256,
                    List.of("MD2", "MD5", "SHA1"));
        }
    }

    /**
     * @param enabled      run the loop
     * @param initialDelay read by {@code @Scheduled} as an ISO-8601 duration
     * @param interval     read by {@code @Scheduled} as an ISO-8601 duration (e.g. PT5M)
     * @param concurrency  probes in flight at once
     */
    public record Detection(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("PT1M") Duration initialDelay,
            @DefaultValue("PT5M") Duration interval,
            @DefaultValue("8") int concurrency) {

        static Detection defaults() {
            return new Detection(true, Duration.ofMinutes(1), Duration.ofMinutes(5), 8);
        }
    }
}
