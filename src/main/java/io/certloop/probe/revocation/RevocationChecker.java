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
import org.bouncycastle.asn1.x509.CRLReason;
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

    /** A verified CRL of one issuer: its revoked serials with their revocation times and reasons. */
    private record CrlData(
            Map<BigInteger, CrlEntry> revoked, Instant thisUpdate, Instant nextUpdate, Instant expires, int weight)
            implements Fetched {}

    /** When and why a serial was revoked (reason null when the CRL entry names none). */
    private record CrlEntry(Instant revokedAt, String reason) {}

    /** A verified OCSP answer about one certificate. */
    private record OcspAnswer(RevocationAnswer answer, Instant expires, int weight) implements Fetched {}

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
        if (fetchable(crlListed, MAX_CRL_URLS).isEmpty()
                && fetchable(ocspListed, MAX_OCSP_URLS).isEmpty()) {
            return Revocation.unknown(Revocation.UNSUPPORTED_URL);
        }
        if (issuer == null) {
            return Revocation.unknown(Revocation.NO_ISSUER);
        }
        Asked crl = askCrl(leaf, issuer, crlListed, deadline);
        if (crl.answer().status() != Revocation.Status.UNKNOWN) {
            return crl.answer().asRevocation();
        }
        Asked ocsp = askOcsp(leaf, issuer, ocspListed, deadline);
        if (ocsp.answer().status() != Revocation.Status.UNKNOWN) {
            return ocsp.answer().asRevocation();
        }
        List<String> problems = new ArrayList<>(crl.problems());
        problems.addAll(ocsp.problems());
        return new Revocation(
                Revocation.Status.UNKNOWN,
                Revocation.SOURCE_NONE,
                null,
                null,
                crl.tried() ? crl.answer().reason() : ocsp.answer().reason(),
                String.join("; ", problems));
    }

    /**
     * As {@link #check}, but both sources are asked even when the first already answered, and each answer is kept
     * in {@link Revocation#answers()} (CRL, then OCSP): the evidence a revocation runbook records. A source that
     * does not answer says so with a fixed reason. The overall status is REVOKED when either says revoked, GOOD
     * when either says good, else UNKNOWN.
     */
    public Revocation checkEverySource(X509Certificate leaf, X509Certificate issuer, Deadline deadline) {
        RevocationAnswer crl =
                askCrl(leaf, issuer, crlDistributionPoints(leaf), deadline).answer();
        RevocationAnswer ocsp =
                askOcsp(leaf, issuer, ocspResponders(leaf), deadline).answer();
        List<RevocationAnswer> answers = List.of(crl, ocsp);
        RevocationAnswer decisive = answers.stream()
                .filter(a -> a.status() == Revocation.Status.REVOKED)
                .findFirst()
                .or(() -> answers.stream()
                        .filter(a -> a.status() == Revocation.Status.GOOD)
                        .findFirst())
                .orElse(null);
        String detail = "CRL: " + crl.detail() + "; OCSP: " + ocsp.detail();
        if (decisive == null) {
            return new Revocation(
                    Revocation.Status.UNKNOWN, Revocation.SOURCE_NONE, null, null, crl.reason(), detail, answers);
        }
        return new Revocation(
                decisive.status(), decisive.source(), decisive.url(), decisive.revokedAt(), null, detail, answers);
    }

    /** One source's answer and, when URLs were tried, what went wrong with each. */
    private record Asked(RevocationAnswer answer, boolean tried, List<String> problems) {

        static Asked notTried(String source, String reason) {
            return new Asked(RevocationAnswer.unanswered(source, null, reason, reason), false, List.of());
        }
    }

    private Asked askCrl(X509Certificate leaf, X509Certificate issuer, List<String> listed, Deadline deadline) {
        List<String> urls = fetchable(listed, MAX_CRL_URLS);
        if (listed.isEmpty()) {
            return Asked.notTried(Revocation.SOURCE_CRL, Revocation.NO_URLS);
        }
        if (urls.isEmpty()) {
            return Asked.notTried(Revocation.SOURCE_CRL, Revocation.UNSUPPORTED_URL);
        }
        if (issuer == null) {
            return Asked.notTried(Revocation.SOURCE_CRL, Revocation.NO_ISSUER);
        }
        List<String> problems = new ArrayList<>();
        String firstReason = null;
        for (String url : urls) {
            try {
                CrlData crl = crl(url, issuer, deadline);
                CrlEntry entry = crl.revoked().get(leaf.getSerialNumber());
                RevocationAnswer answer = entry != null
                        ? new RevocationAnswer(
                                Revocation.SOURCE_CRL,
                                Revocation.Status.REVOKED,
                                url,
                                crl.thisUpdate(),
                                crl.nextUpdate(),
                                entry.revokedAt(),
                                entry.reason(),
                                null,
                                "listed on the CRL")
                        : new RevocationAnswer(
                                Revocation.SOURCE_CRL,
                                Revocation.Status.GOOD,
                                url,
                                crl.thisUpdate(),
                                crl.nextUpdate(),
                                null,
                                null,
                                null,
                                "not listed on the CRL");
                return new Asked(answer, true, List.of());
            } catch (RevocationFetchException e) {
                log.debug(
                        "CRL {} for serial {}: {}", url, leaf.getSerialNumber().toString(16), e.getMessage(), e);
                firstReason = firstReason == null ? e.reason() : firstReason;
                problems.add("CRL " + url + ": " + e.reason());
            }
        }
        return new Asked(
                RevocationAnswer.unanswered(
                        Revocation.SOURCE_CRL, urls.get(0), firstReason, String.join("; ", problems)),
                true,
                problems);
    }

    private Asked askOcsp(X509Certificate leaf, X509Certificate issuer, List<String> listed, Deadline deadline) {
        List<String> urls = fetchable(listed, MAX_OCSP_URLS);
        if (listed.isEmpty()) {
            return Asked.notTried(Revocation.SOURCE_OCSP, Revocation.NO_URLS);
        }
        if (urls.isEmpty()) {
            return Asked.notTried(Revocation.SOURCE_OCSP, Revocation.UNSUPPORTED_URL);
        }
        if (issuer == null) {
            return Asked.notTried(Revocation.SOURCE_OCSP, Revocation.NO_ISSUER);
        }
        List<String> problems = new ArrayList<>();
        String firstReason = null;
        RevocationAnswer unknown = null;
        for (String url : urls) {
            try {
                RevocationAnswer answer = ocsp(url, leaf, issuer, deadline);
                if (answer.status() != Revocation.Status.UNKNOWN) {
                    return new Asked(answer, true, List.of());
                }
                unknown = unknown == null ? answer : unknown;
                firstReason = firstReason == null ? answer.reason() : firstReason;
                problems.add("OCSP " + url + ": " + answer.reason());
            } catch (RevocationFetchException e) {
                log.debug(
                        "OCSP {} for serial {}: {}", url, leaf.getSerialNumber().toString(16), e.getMessage(), e);
                firstReason = firstReason == null ? e.reason() : firstReason;
                problems.add("OCSP " + url + ": " + e.reason());
            }
        }
        String detail = String.join("; ", problems);
        RevocationAnswer answer = unknown != null && unknown.reason().equals(firstReason)
                ? new RevocationAnswer(
                        unknown.source(),
                        unknown.status(),
                        unknown.url(),
                        unknown.thisUpdate(),
                        unknown.nextUpdate(),
                        null,
                        null,
                        firstReason,
                        detail)
                : RevocationAnswer.unanswered(Revocation.SOURCE_OCSP, urls.get(0), firstReason, detail);
        return new Asked(answer, true, problems);
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
        Map<BigInteger, CrlEntry> revoked = new HashMap<>();
        try {
            for (Object entry : crl.getRevokedCertificates()) {
                X509CRLEntryHolder holder = (X509CRLEntryHolder) entry;
                revoked.putIfAbsent(
                        holder.getSerialNumber(),
                        new CrlEntry(holder.getRevocationDate().toInstant(), crlReason(holder)));
            }
        } catch (RuntimeException e) {
            throw new RevocationFetchException(Revocation.MALFORMED, "CRL from " + url + " has bad entries", e);
        }
        Instant now = clock.instant();
        Instant nextUpdate =
                crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
        return new CrlData(
                Map.copyOf(revoked),
                crl.getThisUpdate().toInstant(),
                nextUpdate,
                expiry(now, nextUpdate),
                bytes.length);
    }

    /** The entry's CRLReason name, or null when it names none (or an unknown one). */
    private static String crlReason(X509CRLEntryHolder entry) {
        Extension reason = entry.getExtension(Extension.reasonCode);
        if (reason == null) {
            return null;
        }
        return RevocationAnswer.reasonName(
                CRLReason.getInstance(reason.getParsedValue()).getValue().intValue());
    }

    /** min(nextUpdate, now + configured max age); an answer without a future nextUpdate is kept briefly. */
    private Instant expiry(Instant now, Instant nextUpdate) {
        Instant cap = now.plus(limits.cacheMaxAge());
        Instant until = nextUpdate == null || !nextUpdate.isAfter(now) ? now.plus(NO_NEXT_UPDATE_CACHE) : nextUpdate;
        return until.isBefore(cap) ? until : cap;
    }

    private RevocationAnswer ocsp(String url, X509Certificate leaf, X509Certificate issuer, Deadline deadline)
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
        return ((OcspAnswer) cached(key, deadline, () -> loadOcsp(url, id, issuer, deadline))).answer();
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
            Instant thisUpdate = single.getThisUpdate().toInstant();
            RevocationAnswer answer;
            if (status == CertificateStatus.GOOD) {
                answer = new RevocationAnswer(
                        Revocation.SOURCE_OCSP,
                        Revocation.Status.GOOD,
                        url,
                        thisUpdate,
                        nextUpdate,
                        null,
                        null,
                        null,
                        "responder says good");
            } else if (status instanceof RevokedStatus revoked) {
                answer = new RevocationAnswer(
                        Revocation.SOURCE_OCSP,
                        Revocation.Status.REVOKED,
                        url,
                        thisUpdate,
                        nextUpdate,
                        revoked.getRevocationTime().toInstant(),
                        revoked.hasRevocationReason()
                                ? RevocationAnswer.reasonName(revoked.getRevocationReason())
                                : null,
                        null,
                        "responder says revoked");
            } else {
                answer = new RevocationAnswer(
                        Revocation.SOURCE_OCSP,
                        Revocation.Status.UNKNOWN,
                        url,
                        thisUpdate,
                        nextUpdate,
                        null,
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
