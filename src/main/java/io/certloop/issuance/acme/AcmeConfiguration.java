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

/** Wires the ACME issuer and its HTTP-01 responder. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AcmeProperties.class)
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
}
