package io.certloop.issuance.acme;

import io.certloop.custody.KeyCustody;
import io.certloop.custody.KeyRef;
import io.certloop.custody.KeySpec;
import io.certloop.issuance.CaUnavailableException;
import io.certloop.issuance.CertificateIssuer;
import io.certloop.issuance.HostCsr;
import io.certloop.issuance.IssuanceException;
import io.certloop.issuance.IssuanceProperties;
import io.certloop.issuance.IssuanceRejectedException;
import io.certloop.issuance.IssuanceRequestStore;
import io.certloop.issuance.IssuanceRequestStore.StoredRequest;
import io.certloop.issuance.IssuanceStep;
import io.certloop.issuance.IssueRequest;
import io.certloop.issuance.IssuedCertificate;
import io.certloop.issuance.IssuedCertificateStore;
import io.certloop.system.Pem;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeProtocolException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code acme} replacement path (RFC 8555 through acme4j): account key in custody, order,
 * HTTP-01 answered by CertLoop's own responder, finalize with a custody CSR, download the chain.
 * The order URL is stored, so {@link #poll} works on any node and after a restart; each poll is one
 * bounded step. acme4j exceptions are translated here: outages and server errors become
 * {@link CaUnavailableException}, refusals {@link IssuanceRejectedException}.
 */
public class AcmeIssuer implements CertificateIssuer {

    public static final String PATH = "acme";

    private static final Logger log = LoggerFactory.getLogger(AcmeIssuer.class);
    /** ACME problem types that mean "the CA is not working right now", not "the CA said no". */
    private static final Set<String> OUTAGE_PROBLEMS = Set.of("serverInternal", "rateLimited", "badNonce");

    private final KeyCustody custody;
    private final IssuanceRequestStore requests;
    private final IssuedCertificateStore certificates;
    private final ChallengeStore challenges;
    private final JdbcTemplate jdbc;
    private final AcmeProperties acme;
    private final IssuanceProperties issuance;
    private final Clock clock;

    AcmeIssuer(
            KeyCustody custody,
            IssuanceRequestStore requests,
            IssuedCertificateStore certificates,
            ChallengeStore challenges,
            JdbcTemplate jdbc,
            AcmeProperties acme,
            IssuanceProperties issuance,
            Clock clock) {
        this.custody = custody;
        this.requests = requests;
        this.certificates = certificates;
        this.challenges = challenges;
        this.jdbc = jdbc;
        this.acme = acme;
        this.issuance = issuance;
        this.clock = clock;
    }

    @Override
    public String replacementPath() {
        return PATH;
    }

    /** Places the order and triggers HTTP-01 (once per idempotency key), then returns the first poll. */
    @Override
    public IssuanceStep begin(IssueRequest request) {
        Optional<IssuedCertificate> done = certificates.findByIdempotencyKey(PATH, request.idempotencyKey());
        if (done.isPresent()) {
            return new IssuanceStep.Issued(done.get().id(), done.get());
        }
        Optional<StoredRequest> existing = requests.findByIdempotencyKey(PATH, request.idempotencyKey());
        if (existing.isPresent() && existing.get().orderUrl() != null) {
            return poll(existing.get().id());
        }
        IssuanceProperties.Profile profile = issuance.permitted(request);
        StoredRequest stored = existing.orElseGet(() -> {
            if (request.keyHeldElsewhere()) {
                // the key stays on the service's host; its CSR is kept (public) to finalize the order with
                HostCsr csr = HostCsr.parse(request.csrPem(), profile.keyType());
                List<String> csrNames = csr.requestedNames();
                if (!Set.copyOf(csrNames).equals(Set.copyOf(request.names()))) {
                    // the CA certifies the CSR's names and refuses to finalize when they are not the order's
                    throw new IssuanceRejectedException("the host's CSR names " + csrNames + ", the inventory "
                            + request.names() + ": an ACME CA issues for the CSR's names, so they must be the same");
                }
                return requests.create(PATH, request, csr.keyId(), "NEW", request.csrPem());
            }
            KeyRef key = request.keyId() != null
                    ? custody.get(request.keyId())
                    : custody.generate(request.keySpec() != null ? request.keySpec() : profile.keyType());
            return requests.create(PATH, request, key.id(), "NEW", null);
        });
        return call("place the order for " + request.names(), () -> {
            Login login = login();
            Order order = placeOrder(login, request);
            requests.update(stored.id(), "ORDERED", order.getLocation().toString(), null);
            log.info(
                    "ACME order {} placed for endpoint {} names {} (request {})",
                    order.getLocation(),
                    request.endpointName(),
                    request.names(),
                    stored.id());
            for (Authorization authorization : order.getAuthorizations()) {
                answer(authorization, stored.id());
            }
            return step(stored.id(), login, order);
        });
    }

    /**
     * A new order; when the CA offers renewal information and the endpoint presents a certificate of ours whose
     * renewal window came due, the order names it in {@code replaces} (RFC 9773), so the CA can exempt the
     * replacement from rate limits and knows the old one may be revoked. A CA that says it was already replaced
     * (another order named it first) gets the order again without the field.
     */
    private Order placeOrder(Login login, IssueRequest request) throws AcmeException {
        Optional<X509Certificate> replaced =
                login.getSession().resourceUrlOptional(Resource.RENEWAL_INFO).isPresent()
                        ? dueForReplacement(request.endpointName())
                        : Optional.empty();
        if (replaced.isPresent()) {
            try {
                Order order = login.newOrder()
                        .domains(request.names())
                        .replaces(replaced.get())
                        .create();
                log.info(
                        "ACME order {} for endpoint {} replaces serial {}",
                        order.getLocation(),
                        request.endpointName(),
                        Pem.serialHex(replaced.get()));
                return order;
            } catch (AcmeServerException e) {
                if (e.getType() == null || !e.getType().toString().endsWith(":alreadyReplaced")) {
                    throw e;
                }
                log.info(
                        "ACME server says serial {} of endpoint {} was already replaced: ordering without 'replaces'",
                        Pem.serialHex(replaced.get()),
                        request.endpointName());
            }
        }
        return login.newOrder().domains(request.names()).create();
    }

    /** The unexpired certificate of this endpoint whose renewal window (acme_renewal_info) came due most recently. */
    private Optional<X509Certificate> dueForReplacement(String endpointName) {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc
                .query(
                        "SELECT c.leaf_pem FROM acme_renewal_info r JOIN issued_certificate c ON c.id = r.certificate_id"
                                + " WHERE r.endpoint_name = ? AND r.state = 'WINDOW' AND r.renew_at <= ?"
                                + " AND c.not_after > ? ORDER BY r.checked_at DESC",
                        (rs, row) -> rs.getString(1),
                        endpointName,
                        now,
                        now)
                .stream()
                .findFirst()
                .map(Pem::parseCertificate);
    }

    /** One bounded step: fetch the order and move it on (finalize when ready, download when valid). */
    @Override
    public IssuanceStep poll(String requestId) {
        StoredRequest stored = requests.find(requestId)
                .filter(r -> PATH.equals(r.issuer()))
                .orElseThrow(() -> new IssuanceRejectedException("no ACME request " + requestId));
        if (stored.certificateId() != null) {
            return new IssuanceStep.Issued(
                    requestId, certificates.findById(stored.certificateId()).orElseThrow());
        }
        if ("FAILED".equals(stored.state())) {
            throw new IssuanceRejectedException("ACME request " + requestId + " failed: " + stored.failure());
        }
        if (stored.orderUrl() == null) {
            throw new IssuanceRejectedException("ACME request " + requestId + " has no order yet; begin it again");
        }
        return call("poll order " + stored.orderUrl(), () -> {
            Login login = login();
            Order order = login.bindOrder(url(stored.orderUrl()));
            return step(requestId, login, order);
        });
    }

    /** begin, then poll until issued or until {@code certloop.issuance.sync-deadline}; never longer. */
    @Override
    public IssuedCertificate issue(IssueRequest request) {
        Instant deadline = clock.instant().plus(issuance.syncDeadline());
        IssuanceStep step = begin(request);
        while (step instanceof IssuanceStep.Pending pending) {
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new CaUnavailableException(
                        "ACME order for " + request.names() + " not complete within "
                                + issuance.syncDeadline() + " (state " + pending.state() + "); request "
                                + pending.requestId()
                                + " can be polled later",
                        null,
                        now.plus(acme.pollInterval()));
            }
            Instant next = pending.pollAfter() == null ? now.plus(acme.pollInterval()) : pending.pollAfter();
            if (next.isAfter(deadline)) {
                next = deadline;
            }
            sleep(Duration.between(now, next));
            step = poll(pending.requestId());
        }
        return ((IssuanceStep.Issued) step).certificate();
    }

    private IssuanceStep step(String requestId, Login login, Order order) throws AcmeException {
        Optional<Instant> retryAfter = order.fetch();
        Instant pollAfter = retryAfter.orElse(clock.instant().plus(acme.pollInterval()));
        StoredRequest stored = requests.find(requestId).orElseThrow();
        Status status = order.getStatus();
        switch (status) {
            case PENDING -> {
                for (Authorization authorization : order.getAuthorizations()) {
                    if (authorization.getStatus() == Status.INVALID) {
                        fail(
                                requestId,
                                "authorization for "
                                        + authorization.getIdentifier().getDomain()
                                        + " failed: "
                                        + describe(authorization
                                                .findChallenge(Http01Challenge.class)
                                                .flatMap(c -> c.getError())));
                    }
                }
                return new IssuanceStep.Pending(requestId, "VALIDATING", pollAfter, null);
            }
            case READY -> {
                order.execute(
                        stored.keyId().startsWith(HostCsr.KEY_ID_PREFIX)
                                ? HostCsr.parse(
                                                stored.csrPem(),
                                                issuance.profile(stored.profile())
                                                        .keyType())
                                        .der()
                                : custody.createCsr(stored.keyId(), stored.names())
                                        .der());
                requests.update(requestId, "FINALIZING", null, null);
                return new IssuanceStep.Pending(
                        requestId, "FINALIZING", clock.instant().plus(acme.pollInterval()), null);
            }
            case PROCESSING -> {
                return new IssuanceStep.Pending(requestId, "FINALIZING", pollAfter, null);
            }
            case VALID -> {
                List<X509Certificate> chain = order.getCertificate().getCertificateChain();
                IssuedCertificate certificate = certificates.save(
                        PATH,
                        stored.idempotencyKey(),
                        stored.endpointName(),
                        stored.profile(),
                        stored.keyId(),
                        chain.get(0),
                        chain.subList(1, chain.size()));
                requests.complete(requestId, certificate.id());
                challenges.deleteForRequest(requestId);
                log.info(
                        "ACME order {} issued {} serial {} sha256 {} notAfter {}",
                        order.getLocation(),
                        certificate.id(),
                        certificate.serial(),
                        certificate.sha256(),
                        certificate.notAfter());
                return new IssuanceStep.Issued(requestId, certificate);
            }
            default -> {
                fail(requestId, "order is " + status + ": " + describe(order.getError()));
                throw new IllegalStateException("unreachable");
            }
        }
    }

    private void answer(Authorization authorization, String requestId) throws AcmeException {
        if (authorization.getStatus() != Status.PENDING) {
            return;
        }
        Http01Challenge challenge = authorization
                .findChallenge(Http01Challenge.class)
                .orElseThrow(() -> new IssuanceRejectedException("the ACME server offers no http-01 challenge for "
                        + authorization.getIdentifier().getDomain()));
        challenges.put(challenge.getToken(), challenge.getAuthorization(), requestId);
        if (challenge.getStatus() == Status.PENDING) {
            challenge.trigger();
        }
    }

    private void fail(String requestId, String reason) {
        requests.update(requestId, "FAILED", null, reason.length() > 1900 ? reason.substring(0, 1900) : reason);
        challenges.deleteForRequest(requestId);
        throw new IssuanceRejectedException("ACME request " + requestId + " refused: " + reason);
    }

    private static String describe(Optional<Problem> problem) {
        return problem.map(p -> p.getType() + " " + p.getDetail().orElse("")).orElse("no details");
    }

    /** Fetches the ACME directory (a fresh session, so nothing cached answers for the CA). */
    @Override
    public void checkAvailable() {
        String directory = directoryUrl();
        call("fetch the directory " + directory, () -> session(directory).getMetadata());
    }

    /** Logs in with the stored account, creating the account (key in custody) on first use. */
    private Login login() throws AcmeException {
        return login(session(directoryUrl()));
    }

    /** As {@link #login()}, on a session already made (its directory already read). */
    Login login(Session session) throws AcmeException {
        String directory = directoryUrl();
        record Account(String keyId, String url) {}
        Optional<Account> account = jdbc
                .query(
                        "SELECT key_id, account_url FROM acme_account WHERE directory_url = ?",
                        (rs, row) -> new Account(rs.getString(1), rs.getString(2)),
                        directory)
                .stream()
                .findFirst();
        if (account.isPresent()) {
            return session.login(
                    url(account.get().url()), custody.jcaKeyPair(account.get().keyId()));
        }
        KeyRef key = custody.generate(KeySpec.EC_P256, "acme-account");
        KeyPair pair = custody.jcaKeyPair(key.id());
        AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(pair);
        if (acme.accountEmail() != null && !acme.accountEmail().isBlank()) {
            builder.addEmail(acme.accountEmail());
        }
        Login login = builder.createLogin(session);
        jdbc.update(
                "INSERT INTO acme_account (directory_url, key_id, account_url, created_at) VALUES (?, ?, ?, ?)",
                directory,
                key.id(),
                login.getAccountLocation().toString(),
                Timestamp.from(clock.instant()));
        log.info("ACME account {} created at {}", login.getAccountLocation(), directory);
        return login;
    }

    Session session(String directory) {
        URI uri = URI.create(directory);
        Session session = acme.trustedCaFile() != null && uri.getScheme().startsWith("http")
                ? new Session(uri, new TrustingAcmeProvider(acme.trustedCaFile()))
                : new Session(uri);
        session.networkSettings().setTimeout(acme.requestTimeout());
        return session;
    }

    /** The configured directory URL as it is (null or blank when the acme path is not set up). */
    String configuredDirectoryUrl() {
        return acme.directoryUrl();
    }

    String directoryUrl() {
        if (acme.directoryUrl() == null || acme.directoryUrl().isBlank()) {
            throw new CaUnavailableException(
                    "no ACME directory configured (certloop.issuance.acme.directory-url)", null);
        }
        return acme.directoryUrl();
    }

    private static URL url(String value) {
        try {
            return URI.create(value).toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("stored URL is malformed: " + value, e);
        }
    }

    private interface AcmeCall<T> {
        T run() throws AcmeException;
    }

    /** Runs an acme4j call and translates its failures into the issuance exception tree. */
    private <T> T call(String what, AcmeCall<T> action) {
        try {
            return action.run();
        } catch (IssuanceException e) {
            throw e;
        } catch (AcmeRateLimitedException e) {
            throw new CaUnavailableException(
                    "ACME server rate-limited us while trying to " + what + ": " + e.getMessage(),
                    e,
                    e.getRetryAfter().orElse(null));
        } catch (AcmeServerException e) {
            String type = e.getType() == null ? "" : e.getType().toString();
            String code = type.substring(type.lastIndexOf(':') + 1);
            if (OUTAGE_PROBLEMS.contains(code)) {
                throw new CaUnavailableException(
                        "ACME server error while trying to " + what + ": " + e.getMessage(), e);
            }
            throw new IssuanceRejectedException("ACME server refused to " + what + ": " + e.getMessage(), e);
        } catch (AcmeNetworkException e) {
            throw new CaUnavailableException(
                    "ACME server unreachable while trying to " + what + ": " + rootMessage(e), e);
        } catch (AcmeException e) {
            // HTTP errors without a problem document (e.g. 502/503 from a proxy in front of the CA)
            throw new CaUnavailableException("ACME server failed while trying to " + what + ": " + e.getMessage(), e);
        } catch (AcmeLazyLoadingException | AcmeProtocolException e) {
            throw new CaUnavailableException(
                    "ACME server gave an unusable answer while trying to " + what + ": " + e.getMessage(), e);
        }
    }

    /** "ConnectException <- ClosedChannelException": the cause chain below acme4j, without stack traces. */
    private static String rootMessage(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            out.append(out.isEmpty() ? "" : " <- ").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                out.append(' ').append(cause.getMessage());
            }
        }
        return out.toString();
    }

    private static void sleep(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaUnavailableException("interrupted while waiting for the ACME server", e);
        }
    }
}
