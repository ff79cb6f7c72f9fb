package io.certloop.remediation;

import io.certloop.issuance.TrustedRoots;
import io.certloop.probe.ExtraTrustRoots;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Joins capabilities that must not know each other. */
@Configuration(proxyBeanMethods = false)
class RemediationConfiguration {

    /**
     * Endpoints served with certificates from CertLoop's internal CA are judged against its root:
     * the estate trusts that CA, so the probe must too, or verification could never pass.
     */
    @Bean
    @ConditionalOnProperty(name = "certloop.probe.trust.internal-ca", havingValue = "true", matchIfMissing = true)
    ExtraTrustRoots internalCaTrustRoots(List<TrustedRoots> trustedRoots) {
        List<java.security.cert.X509Certificate> roots =
                trustedRoots.stream().flatMap(source -> source.roots().stream()).toList();
        return () -> roots;
    }
}
