package io.certloop.issuance;

import io.certloop.custody.KeyCustody;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires the issuance stores, the admin-mediated issuer and the issuer registry. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IssuanceProperties.class)
class IssuanceConfiguration {

    @Bean
    IssuedCertificateStore issuedCertificateStore(JdbcTemplate jdbc, ObjectProvider<Clock> clock) {
        return new IssuedCertificateStore(jdbc, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    IssuanceRequestStore issuanceRequestStore(JdbcTemplate jdbc, ObjectProvider<Clock> clock) {
        return new IssuanceRequestStore(jdbc, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    AdminMediatedIssuer adminMediatedIssuer(
            KeyCustody custody,
            IssuanceRequestStore requests,
            IssuedCertificateStore certificates,
            IssuanceProperties properties,
            List<TrustedRoots> roots,
            ObjectProvider<Clock> clock) {
        return new AdminMediatedIssuer(
                custody, requests, certificates, properties, roots, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    Issuers issuers(List<CertificateIssuer> issuers) {
        return new Issuers(issuers);
    }
}
