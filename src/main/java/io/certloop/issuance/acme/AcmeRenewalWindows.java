package io.certloop.issuance.acme;

import io.certloop.issuance.IssuanceException;
import io.certloop.issuance.IssuedCertificate;
import io.certloop.issuance.IssuedCertificateStore;
import io.certloop.issuance.RenewalPoint;
import io.certloop.issuance.RenewalWindow;
import io.certloop.issuance.RenewalWindows;
import io.certloop.system.Pem;
import java.net.URL;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * ACME Renewal Information (RFC 9773) through acme4j: the directory says whether the CA offers it
 * ({@code renewalInfo}); {@link Login#bindRenewalInfo} builds the certificate's URL (AKI and serial) under it;
 * {@link RenewalInfo#fetch()} is an unauthenticated GET whose Retry-After says when to ask again. Only the
 * configured ACME server is asked: a renewalInfo URL on another origin is refused without a request. Answers and
 * failures are kept in {@code acme_renewal_info}, so every node and every cycle shares them.
 */
class AcmeRenewalWindows implements RenewalWindows {

    private static final Logger log = LoggerFactory.getLogger(AcmeRenewalWindows.class);
    private static final int MAX_URL = 1000;

    private final AcmeIssuer acme;
    private final IssuedCertificateStore certificates;
    private final JdbcTemplate jdbc;
    private final AcmeRenewalInfoProperties properties;
    private final Clock clock;

    AcmeRenewalWindows(
            AcmeIssuer acme,
            IssuedCertificateStore certificates,
            JdbcTemplate jdbc,
            AcmeRenewalInfoProperties properties,
            Clock clock) {
        this.acme = acme;
        this.certificates = certificates;
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** One stored row: the last answer (a window, or not offered) and the bookkeeping of the questions. */
    private record Row(String state, RenewalWindow window, Instant nextCheckAt, int failures) {}

    private static final String COLUMNS = "certificate_id, endpoint_name, sha256, state, window_start, window_end,"
            + " renew_at, explanation_url, fetched_at, checked_at, next_check_at, failure, failures";

    private static final RowMapper<Row> MAPPER = (ResultSet rs, int n) -> new Row(
            rs.getString("state"),
            "WINDOW".equals(rs.getString("state"))
                    ? new RenewalWindow(
                            rs.getString("certificate_id"),
                            rs.getString("endpoint_name"),
                            rs.getString("sha256"),
                            instant(rs, "window_start"),
                            instant(rs, "window_end"),
                            instant(rs, "renew_at"),
                            rs.getString("explanation_url"),
                            instant(rs, "fetched_at"),
                            instant(rs, "checked_at"),
                            instant(rs, "next_check_at"),
                            rs.getString("failure"))
                    : null,
            instant(rs, "next_check_at"),
            rs.getInt("failures"));

    @Override
    public Optional<RenewalWindow> check(String leafSha256, Duration cycle) {
        if (!properties.enabled() || leafSha256 == null || !configured()) {
            return Optional.empty();
        }
        Optional<IssuedCertificate> issued =
                certificates.findBySha256(leafSha256).filter(c -> AcmeIssuer.PATH.equals(c.issuer()));
        if (issued.isEmpty()) {
            return Optional.empty();
        }
        IssuedCertificate certificate = issued.get();
        Instant now = clock.instant();
        Optional<Row> row = row(certificate.id());
        // expired: the CA has nothing left to suggest (and expiry detection has its own finding)
        boolean due = row.map(r -> !now.isBefore(r.nextCheckAt())).orElse(true) && now.isBefore(certificate.notAfter());
        if (due) {
            ask(certificate, row.map(Row::failures).orElse(0), now, cycle);
            row = row(certificate.id());
        }
        return row.map(Row::window);
    }

    @Override
    public Optional<RenewalWindow> stored(String leafSha256) {
        if (leafSha256 == null) {
            return Optional.empty();
        }
        return jdbc
                .query(
                        "SELECT " + COLUMNS + " FROM acme_renewal_info WHERE sha256 = ? ORDER BY checked_at DESC",
                        MAPPER,
                        leafSha256)
                .stream()
                .findFirst()
                .map(Row::window);
    }

    private boolean configured() {
        String directory = acme.configuredDirectoryUrl();
        return directory != null && !directory.isBlank();
    }

    private void ask(IssuedCertificate certificate, int failuresSoFar, Instant now, Duration cycle) {
        String directory = acme.configuredDirectoryUrl();
        try {
            Session session = acme.session(directory);
            Optional<URL> base = session.resourceUrlOptional(Resource.RENEWAL_INFO);
            if (base.isEmpty()) {
                Instant next = now.plus(properties.maxInterval());
                store(certificate, "NOT_OFFERED", null, now, next, null, 0);
                log.debug(
                        "ACME server {} offers no renewal information (certificate {} of endpoint {}); asking its"
                                + " directory again at {}",
                        directory,
                        certificate.id(),
                        certificate.endpointName(),
                        next);
                return;
            }
            Login login = acme.login(session);
            RenewalInfo info = login.bindRenewalInfo(Pem.parseCertificate(certificate.leafPem()));
            URL origin = session.provider().resolve(session.getServerUri());
            if (!sameOrigin(info.getLocation(), origin)) {
                failed(
                        certificate,
                        failuresSoFar,
                        now,
                        FOREIGN_URL,
                        "renewalInfo " + base.get() + " is not on " + origin);
                return;
            }
            Instant retryAfter = info.fetch().orElse(null);
            Instant start = info.getSuggestedWindowStart();
            Instant end = info.getSuggestedWindowEnd();
            if (end.isBefore(start)) {
                failed(
                        certificate,
                        failuresSoFar,
                        now,
                        INVALID_ANSWER,
                        "window ends " + end + " before it starts " + start);
                return;
            }
            String explanation = info.getExplanation()
                    .map(URL::toString)
                    .filter(url -> url.length() <= MAX_URL)
                    .orElse(null);
            Instant next = RenewalPoint.nextCheck(
                    now, retryAfter, properties.interval(), properties.minInterval(), properties.maxInterval());
            RenewalWindow window = new RenewalWindow(
                    certificate.id(),
                    certificate.endpointName(),
                    certificate.sha256(),
                    start,
                    end,
                    RenewalPoint.choose(certificate.sha256(), start, end, cycle),
                    explanation,
                    now,
                    now,
                    next,
                    null);
            store(certificate, "WINDOW", window, now, next, null, 0);
            log.info(
                    "ACME renewal window of certificate {} (endpoint {}): {} to {}, renewing at {}{}; asking again at {}",
                    certificate.id(),
                    certificate.endpointName(),
                    start,
                    end,
                    window.renewAt(),
                    explanation == null ? "" : " (" + explanation + ")",
                    next);
        } catch (AcmeNetworkException e) {
            failed(certificate, failuresSoFar, now, UNREACHABLE, e.getMessage());
        } catch (AcmeException | IssuanceException e) {
            failed(certificate, failuresSoFar, now, CA_ERROR, e.getMessage());
        } catch (AcmeLazyLoadingException | AcmeProtocolException | IllegalArgumentException e) {
            failed(certificate, failuresSoFar, now, INVALID_ANSWER, e.getMessage());
        }
    }

    private void failed(IssuedCertificate certificate, int failuresSoFar, Instant now, String reason, String detail) {
        Instant next = now.plus(properties.retryInterval());
        store(certificate, null, null, now, next, reason, failuresSoFar + 1);
        log.warn(
                "ACME renewal information for certificate {} (endpoint {}) not fetched: {} ({}); asking again at {}",
                certificate.id(),
                certificate.endpointName(),
                reason,
                detail,
                next);
    }

    /**
     * Writes the outcome of one question. {@code state} null keeps the last answer (a failed question): the
     * window known before still counts.
     */
    private void store(
            IssuedCertificate certificate,
            String state,
            RenewalWindow window,
            Instant now,
            Instant next,
            String failure,
            int failures) {
        Object[] answer = {
            window == null ? null : Timestamp.from(window.start()),
            window == null ? null : Timestamp.from(window.end()),
            window == null ? null : Timestamp.from(window.renewAt()),
            window == null ? null : window.explanationUrl(),
        };
        int updated = state == null
                ? jdbc.update(
                        "UPDATE acme_renewal_info SET checked_at = ?, next_check_at = ?, failure = ?, failures = ?"
                                + " WHERE certificate_id = ?",
                        Timestamp.from(now),
                        Timestamp.from(next),
                        failure,
                        failures,
                        certificate.id())
                : jdbc.update(
                        "UPDATE acme_renewal_info SET state = ?, window_start = ?, window_end = ?, renew_at = ?,"
                                + " explanation_url = ?, fetched_at = ?, checked_at = ?, next_check_at = ?,"
                                + " failure = NULL, failures = 0 WHERE certificate_id = ?",
                        state,
                        answer[0],
                        answer[1],
                        answer[2],
                        answer[3],
                        Timestamp.from(now),
                        Timestamp.from(now),
                        Timestamp.from(next),
                        certificate.id());
        if (updated == 0) {
            try {
                jdbc.update(
                        "INSERT INTO acme_renewal_info (certificate_id, endpoint_name, sha256, state, window_start,"
                                + " window_end, renew_at, explanation_url, fetched_at, checked_at, next_check_at,"
                                + " failure, failures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        certificate.id(),
                        certificate.endpointName(),
                        certificate.sha256(),
                        state == null ? "UNKNOWN" : state,
                        answer[0],
                        answer[1],
                        answer[2],
                        answer[3],
                        state == null ? null : Timestamp.from(now),
                        Timestamp.from(now),
                        Timestamp.from(next),
                        failure,
                        failures);
            } catch (org.springframework.dao.DuplicateKeyException raced) {
                // another node asked at the same moment and stored its answer: it is as good as this one
                log.debug("renewal information of certificate {} stored by another node", certificate.id());
            }
        }
    }

    private Optional<Row> row(String certificateId) {
        return jdbc
                .query("SELECT " + COLUMNS + " FROM acme_renewal_info WHERE certificate_id = ?", MAPPER, certificateId)
                .stream()
                .findFirst();
    }

    /** Same scheme, host and port (default ports spelled out). */
    static boolean sameOrigin(URL a, URL b) {
        return a.getProtocol().equalsIgnoreCase(b.getProtocol())
                && a.getHost().toLowerCase(Locale.ROOT).equals(b.getHost().toLowerCase(Locale.ROOT))
                && (a.getPort() == -1 ? a.getDefaultPort() : a.getPort())
                        == (b.getPort() == -1 ? b.getDefaultPort() : b.getPort());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
