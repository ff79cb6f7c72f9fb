package io.certloop.issuance.ca;

import io.certloop.custody.KeyCustody;
import io.certloop.issuance.IssuanceProperties;
import io.certloop.issuance.IssuedCertificateStore;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires the internal CA and creates its root and intermediate at first start. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PkiProperties.class)
class InternalCaConfiguration {

    @Bean
    CertificateAuthority certificateAuthority(
            JdbcTemplate jdbc,
            KeyCustody custody,
            IssuedCertificateStore store,
            PkiProperties pki,
            ObjectProvider<Clock> clock) {
        return new CertificateAuthority(jdbc, custody, store, pki, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    InternalCaIssuer internalCaIssuer(
            CertificateAuthority ca, KeyCustody custody, IssuedCertificateStore store, IssuanceProperties properties) {
        return new InternalCaIssuer(ca, custody, store, properties);
    }

    @Bean
    ApplicationRunner internalCaBootstrap(CertificateAuthority ca) {
        return args -> ca.material();
    }
}
