package io.certloop.probe.revocation;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.certloop.probe.Certificates;
import io.certloop.probe.ProbeProperties;
import io.certloop.system.Fingerprints;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ocsp.ResponseBytes;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.jcajce.JcaCertificateID;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revocation status of a leaf: CRL distribution points first (public CAs are retiring OCSP), then
 * OCSP from the AIA extension. Answers are only believed when signed by the leaf's issuer (or, for
 * OCSP, by a responder the issuer delegated to).
 *
 * <p>Bounded work per probe: at most {@value #MAX_CRL_URLS} CRL and {@value #MAX_OCSP_URLS} OCSP URLs of
 * a certificate are tried, every fetch is capped in size and ends by the probe's deadline, DER is
 * walked once without recursion before BouncyCastle parses it, and a CRL's revoked serials become a
 * hash set, so each later lookup is constant time. Fetched CRLs and OCSP answers are cached (Caffeine,
 * bounded by their encoded size) until their nextUpdate or the configured maximum age, whichever
 * comes first; concurrent probes that need the same URL share one fetch.
 */
public class RevocationChecker {

    static final int MAX_CRL_URLS = 2;
    static final int MAX_OCSP_URLS = 2;
    private static final int MAX_URL_LENGTH = 2048;
    private static final Duration NO_NEXT_UPDATE_CACHE = Duration.ofMinutes(5);
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(RevocationChecker.class);

    private final RevocationFetcher fetcher;
    private final Clock clock;
    private final ProbeProperties.RevocationFetch limits;
    private final AsyncCache<String, Fetched> cache;

    /** A cached fetch: what it says, until when it may be reused, and what it weighs (encoded bytes). */
    private interface Fetched {
        Instant expires();

        int weight();
    }

    /** A verified CRL of one issuer: its revoked serials with their revocation times. */
    private record CrlData(Map<BigInteger, Instant> revoked, Instant expires, int weight) implements Fetched {}

    /** A verified OCSP answer about one certificate. */
    private record OcspAnswer(Revocation revocation, Instant expires, int weight) implements Fetched {}

    @FunctionalInterface
    private interface Loader {
        Fetched load() throws RevocationFetchException;
    }

    public RevocationChecker(RevocationFetcher fetcher, Clock clock, ProbeProperties.RevocationFetch limits) {
        this.fetcher = fetcher;
        this.clock = clock;
        this.limits = limits;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(limits.cacheMaxSize().toBytes())
                .weigher((String key, Fetched value) -> value.weight())
                .expireAfter(new Expiry<String, Fetched>() {
                    @Override
                    public long expireAfterCreate(String key, Fetched value, long currentTime) {
                        return Math.max(
                                0,
                                Duration.between(clock.instant(), value.expires())
                                        .toNanos());
                    }

                    @Override
                    public long expireAfterUpdate(String key, Fetched value, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, Fetched value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .executor(Runnable::run)
                .buildAsync();
    }

    /**
     * The leaf's revocation status. Never throws for what a remote server does: an UNKNOWN answer carries a
     * fixed reason, and the detail names per URL tried only that reason.
     */
    public Revocation check(X509Certificate leaf, X509Certificate issuer, Deadline deadline) {
        List<String> crlListed = crlDistributionPoints(leaf);
        List<String> ocspListed = ocspResponders(leaf);
        if (crlListed.isEmpty() && ocspListed.isEmpty()) {
            return Revocation.unknown(Revocation.NO_URLS);
        }
        List<String> crlUrls = fetchable(crlListed, MAX_CRL_URLS);
        List<String> ocspUrls = fetchable(ocspListed, MAX_OCSP_URLS);
        if (crlUrls.isEmpty() && ocspUrls.isEmpty()) {
            return Revocation.unknown(Revocation.UNSUPPORTED_URL);
        }
        if (issuer == null) {
            return Revocation.unknown(Revocation.NO_ISSUER);
        }
        List<String> problems = new ArrayList<>();
        String firstReason = null;
        for (String url : crlUrls) {
            try {
                CrlData crl = crl(url, issuer, deadline);
                Instant revokedAt = crl.revoked().get(leaf.getSerialNumber());
                if (revokedAt != null) {
                    return new Revocation(
                            Revocation.Status.REVOKED, Revocation.SOURCE_CRL, url, revokedAt, "listed on the CRL");
                }
                return new Revocation(
                        Revocation.Status.GOOD, Revocation.SOURCE_CRL, url, null, "not listed on the CRL");
            } catch (RevocationFetchException e) {
                log.debug(
                        "CRL {} for serial {}: {}", url, leaf.getSerialNumber().toString(16), e.getMessage(), e);
                firstReason = firstReason == null ? e.reason() : firstReason;
                problems.add("CRL " + url + ": " + e.reason());
            }
        }
        for (String url : ocspUrls) {
            try {
                Revocation answer = ocsp(url, leaf, issuer, deadline);
                if (answer.status() != Revocation.Status.UNKNOWN) {
                    return answer;
                }
                firstReason = firstReason == null ? answer.reason() : firstReason;
                problems.add("OCSP " + url + ": " + answer.reason());
            } catch (RevocationFetchException e) {
                log.debug(
                        "OCSP {} for serial {}: {}", url, leaf.getSerialNumber().toString(16), e.getMessage(), e);
                firstReason = firstReason == null ? e.reason() : firstReason;
                problems.add("OCSP " + url + ": " + e.reason());
            }
        }
        return new Revocation(
                Revocation.Status.UNKNOWN,
                Revocation.SOURCE_NONE,
                null,
                null,
                firstReason,
                String.join("; ", problems));
    }

    /** http:// URLs only (the fetcher speaks nothing else), no absurd lengths, no repeats, the first few. */
    private static List<String> fetchable(List<String> urls, int max) {
        return urls.stream()
                .filter(url -> url.length() <= MAX_URL_LENGTH && url.regionMatches(true, 0, "http://", 0, 7))
                .filter(RevocationChecker::parses)
                .distinct()
                .limit(max)
                .toList();
    }

    private static boolean parses(String url) {
        try {
            return URI.create(url).getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * One fetch per key in flight: the first caller loads, later callers wait for its result (at most until
     * their own deadline). Failures are not kept: the next probe tries again.
     */
    private Fetched cached(String key, Deadline deadline, Loader loader) throws RevocationFetchException {
        CompletableFuture<Fetched> mine = new CompletableFuture<>();
        CompletableFuture<Fetched> existing = cache.asMap().putIfAbsent(key, mine);
        if (existing == null) {
            try {
                Fetched value = loader.load();
                mine.complete(value);
                return value;
            } catch (RevocationFetchException | RuntimeException e) {
                mine.completeExceptionally(e);
                throw e;
            } finally {
                if (!mine.isDone()) {
                    mine.completeExceptionally(new IllegalStateException("load abandoned"));
                }
            }
        }
        try {
            return existing.get(deadline.remainingMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RevocationFetchException(Revocation.TIMEOUT, "waited for another probe's fetch of " + key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RevocationFetchException(Revocation.TIMEOUT, "interrupted waiting for " + key);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RevocationFetchException failed) {
                throw new RevocationFetchException(failed.reason(), failed.getMessage());
            }
            throw new RevocationFetchException(Revocation.FETCH_FAILED, "fetch of " + key + " failed", e.getCause());
        }
    }

    private CrlData crl(String url, X509Certificate issuer, Deadline deadline) throws RevocationFetchException {
        String key = "CRL " + url + "|" + Fingerprints.sha256Hex(issuer);
        return (CrlData) cached(key, deadline, () -> loadCrl(url, issuer, deadline));
    }

    private CrlData loadCrl(String url, X509Certificate issuer, Deadline deadline) throws RevocationFetchException {
        byte[] bytes = fetcher.fetch(
                URI.create(url), null, null, (int) limits.crlMaxSize().toBytes(), deadline);
        X509CRLHolder crl;
        try {
            if (!DerShape.acceptable(bytes, DerShape.MAX_DEPTH)) {
                throw new IOException("not a single DER element of sane depth");
            }
            crl = new X509CRLHolder(bytes);
        } catch (IOException | RuntimeException e) {
            throw new RevocationFetchException(Revocation.MALFORMED, "CRL from " + url + " does not parse", e);
        }
        if (!crl.getIssuer()
                .equals(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()))) {
            throw new RevocationFetchException(Revocation.WRONG_ISSUER, "CRL from " + url + " of another issuer");
        }
        try {
            if (!crl.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer.getPublicKey()))) {
                throw new RevocationFetchException(
                        Revocation.BAD_SIGNATURE, "CRL from " + url + " not signed by issuer");
            }
        } catch (CertException | OperatorCreationException | RuntimeException e) {
            throw new RevocationFetchException(Revocation.BAD_SIGNATURE, "CRL from " + url + " unverifiable", e);
        }
        Map<BigInteger, Instant> revoked = new HashMap<>();
        try {
            for (Object entry : crl.getRevokedCertificates()) {
                X509CRLEntryHolder holder = (X509CRLEntryHolder) entry;
                revoked.putIfAbsent(
                        holder.getSerialNumber(), holder.getRevocationDate().toInstant());
            }
        } catch (RuntimeException e) {
            throw new RevocationFetchException(Revocation.MALFORMED, "CRL from " + url + " has bad entries", e);
        }
        Instant now = clock.instant();
        Instant nextUpdate =
                crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
        return new CrlData(Map.copyOf(revoked), expiry(now, nextUpdate), bytes.length);
    }

    /** min(nextUpdate, now + configured max age); an answer without a future nextUpdate is kept briefly. */
    private Instant expiry(Instant now, Instant nextUpdate) {
        Instant cap = now.plus(limits.cacheMaxAge());
        Instant until = nextUpdate == null || !nextUpdate.isAfter(now) ? now.plus(NO_NEXT_UPDATE_CACHE) : nextUpdate;
        return until.isBefore(cap) ? until : cap;
    }

    private Revocation ocsp(String url, X509Certificate leaf, X509Certificate issuer, Deadline deadline)
            throws RevocationFetchException {
        CertificateID id;
        try {
            id = new JcaCertificateID(
                    new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                    issuer,
                    leaf.getSerialNumber());
        } catch (OCSPException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 CertID unavailable", e);
        }
        String key = "OCSP " + url + "|" + HexFormat.of().formatHex(id.getIssuerKeyHash()) + "|"
                + leaf.getSerialNumber().toString(16);
        return ((OcspAnswer) cached(key, deadline, () -> loadOcsp(url, id, issuer, deadline))).revocation();
    }

    private OcspAnswer loadOcsp(String url, CertificateID id, X509Certificate issuer, Deadline deadline)
            throws RevocationFetchException {
        byte[] request;
        try {
            request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException("cannot encode an OCSP request", e);
        }
        byte[] bytes = fetcher.fetch(
                URI.create(url),
                request,
                "application/ocsp-request",
                (int) limits.ocspMaxSize().toBytes(),
                deadline);
        BasicOCSPResp basic;
        try {
            if (!DerShape.acceptable(bytes, DerShape.MAX_DEPTH)) {
                throw new IOException("not a single DER element of sane depth");
            }
            OCSPResp response = new OCSPResp(bytes);
            if (response.getStatus() != OCSPResp.SUCCESSFUL) {
                throw new RevocationFetchException(
                        Revocation.RESPONDER_ERROR, "OCSP status " + response.getStatus() + " from " + url);
            }
            ResponseBytes inner = response.toASN1Structure().getResponseBytes();
            if (inner == null || !DerShape.acceptable(inner.getResponse().getOctets(), DerShape.MAX_DEPTH)) {
                throw new IOException("no sane response bytes");
            }
            basic = (BasicOCSPResp) response.getResponseObject();
        } catch (IOException | OCSPException | RuntimeException e) {
            throw new RevocationFetchException(Revocation.MALFORMED, "OCSP answer from " + url + " does not parse", e);
        }
        try {
            if (!signatureTrusted(basic, issuer)) {
                throw new RevocationFetchException(Revocation.BAD_SIGNATURE, "OCSP answer from " + url + " unsigned");
            }
        } catch (OCSPException | OperatorCreationException | GeneralSecurityException | RuntimeException e) {
            throw new RevocationFetchException(
                    Revocation.BAD_SIGNATURE, "OCSP answer from " + url + " unverifiable", e);
        }
        Instant now = clock.instant();
        for (SingleResp single : basic.getResponses()) {
            if (!single.getCertID().equals(id)) {
                continue;
            }
            Instant nextUpdate = single.getNextUpdate() == null
                    ? null
                    : single.getNextUpdate().toInstant();
            if (single.getThisUpdate().toInstant().isAfter(now.plus(CLOCK_SKEW))
                    || (nextUpdate != null && nextUpdate.isBefore(now.minus(CLOCK_SKEW)))) {
                throw new RevocationFetchException(Revocation.STALE, "stale or future OCSP answer from " + url);
            }
            CertificateStatus status = single.getCertStatus();
            Revocation answer;
            if (status == CertificateStatus.GOOD) {
                answer = new Revocation(
                        Revocation.Status.GOOD, Revocation.SOURCE_OCSP, url, null, "responder says good");
            } else if (status instanceof RevokedStatus revoked) {
                answer = new Revocation(
                        Revocation.Status.REVOKED,
                        Revocation.SOURCE_OCSP,
                        url,
                        revoked.getRevocationTime().toInstant(),
                        "responder says revoked");
            } else {
                answer = new Revocation(
                        Revocation.Status.UNKNOWN,
                        Revocation.SOURCE_OCSP,
                        url,
                        null,
                        Revocation.RESPONDER_UNKNOWN,
                        Revocation.RESPONDER_UNKNOWN);
            }
            return new OcspAnswer(answer, expiry(now, nextUpdate), bytes.length);
        }
        throw new RevocationFetchException(Revocation.NOT_COVERED, "OCSP answer from " + url + " misses the serial");
    }

    private static boolean signatureTrusted(BasicOCSPResp basic, X509Certificate issuer)
            throws OCSPException, OperatorCreationException, GeneralSecurityException {
        JcaContentVerifierProviderBuilder verifiers = new JcaContentVerifierProviderBuilder();
        if (basic.isSignatureValid(verifiers.build(issuer.getPublicKey()))) {
            return true;
        }
        for (X509CertificateHolder holder : basic.getCerts()) {
            X509Certificate responder = new JcaX509CertificateConverter().getCertificate(holder);
            List<String> usages = responder.getExtendedKeyUsage();
            if (Certificates.signedBy(responder, issuer)
                    && usages != null
                    && usages.contains(KeyPurposeId.id_kp_OCSPSigning.getId())
                    && basic.isSignatureValid(verifiers.build(responder.getPublicKey()))) {
                return true;
            }
        }
        return false;
    }

    static List<String> crlDistributionPoints(X509Certificate certificate) {
        List<String> urls = new ArrayList<>();
        byte[] value = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (value == null) {
            return urls;
        }
        try {
            CRLDistPoint points = CRLDistPoint.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value));
            for (DistributionPoint point : points.getDistributionPoints()) {
                DistributionPointName name = point.getDistributionPoint();
                if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                    for (GeneralName general :
                            GeneralNames.getInstance(name.getName()).getNames()) {
                        uri(general, urls);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // malformed extension: treated as absent, revocation becomes UNKNOWN
        }
        return urls;
    }

    static List<String> ocspResponders(X509Certificate certificate) {
        List<String> urls = new ArrayList<>();
        byte[] value = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (value == null) {
            return urls;
        }
        try {
            AuthorityInformationAccess access =
                    AuthorityInformationAccess.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value));
            for (AccessDescription description : access.getAccessDescriptions()) {
                if (X509ObjectIdentifiers.ocspAccessMethod.equals(description.getAccessMethod())) {
                    uri(description.getAccessLocation(), urls);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // malformed extension: treated as absent
        }
        return urls;
    }

    private static void uri(GeneralName name, List<String> urls) {
        if (name.getTagNo() == GeneralName.uniformResourceIdentifier) {
            urls.add(ASN1IA5String.getInstance(name.getName()).getString());
        }
    }
}
