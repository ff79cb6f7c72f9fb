package io.certloop.issuance.acme;

import io.certloop.custody.KeyCustody;
import io.certloop.issuance.IssuanceProperties;
import io.certloop.issuance.IssuanceRequestStore;
import io.certloop.issuance.IssuedCertificateStore;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires the ACME issuer, its HTTP-01 responder and the CA's renewal windows. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AcmeProperties.class, AcmeRenewalInfoProperties.class})
class AcmeConfiguration {

    @Bean
    ChallengeStore acmeChallengeStore(JdbcTemplate jdbc, ObjectProvider<Clock> clock) {
        return new ChallengeStore(jdbc, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    AcmeIssuer acmeIssuer(
            KeyCustody custody,
            IssuanceRequestStore requests,
            IssuedCertificateStore certificates,
            ChallengeStore challenges,
            JdbcTemplate jdbc,
            AcmeProperties acme,
            IssuanceProperties issuance,
            ObjectProvider<Clock> clock) {
        return new AcmeIssuer(
                custody,
                requests,
                certificates,
                challenges,
                jdbc,
                acme,
                issuance,
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    AcmeRenewalWindows acmeRenewalWindows(
            AcmeIssuer acme,
            IssuedCertificateStore certificates,
            JdbcTemplate jdbc,
            AcmeRenewalInfoProperties properties,
            ObjectProvider<Clock> clock) {
        return new AcmeRenewalWindows(acme, certificates, jdbc, properties, clock.getIfAvailable(Clock::systemUTC));
    }
}
