package io.certloop.issuance.ca;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certloop.pki.*}: the public base URL relying parties use to reach CertLoop's /pki
 * endpoints (it is written into every certificate, so set it before issuing), and the lifetimes
 * of CA certificates, CRLs and OCSP answers.
 *
 * @param ocspCache how long the OCSP responder reuses what it answered about one serial (revoking through CertLoop
 *     forgets it at once on this node; other nodes answer from their cache for at most this long)
 */
@ConfigurationProperties("certloop.pki")
record PkiProperties(
        @DefaultValue("http://localhost:8080") String baseUrl,
        @DefaultValue("CertLoop") String caName,
        @DefaultValue("3650d") Duration rootValidity,
        @DefaultValue("1825d") Duration intermediateValidity,
        @DefaultValue("1d") Duration crlValidity,
        @DefaultValue("1h") Duration ocspValidity,
        @DefaultValue("1m") Duration ocspCache) {

    PkiProperties {
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    static PkiProperties defaults(String baseUrl) {
        return new PkiProperties(
                baseUrl,
                "CertLoop",
                Duration.ofDays(3650),
                Duration.ofDays(1825),
                Duration.ofDays(1),
                Duration.ofHours(1),
                Duration.ofMinutes(1));
    }

    String ocspUrl() {
        return baseUrl + "/pki/ocsp";
    }

    String crlUrl() {
        return baseUrl + "/pki/crl";
    }

    String intermediateUrl() {
        return baseUrl + "/pki/intermediate.crt";
    }

    String rootUrl() {
        return baseUrl + "/pki/ca.crt";
    }
}
