package io.certloop.issuance.acme;

import io.certloop.custody.CustodyFixtures;
import io.certloop.custody.KeyCustody;
import io.certloop.custody.KeySpec;
import io.certloop.issuance.IssuanceProperties;
import io.certloop.issuance.IssuanceRequestStore;
import io.certloop.issuance.IssuedCertificateStore;
import io.certloop.support.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** An {@link AcmeIssuer} on a fresh H2 database; {@link #restarted()} builds a new issuer on the same data. */
final class AcmeFixture {

    final JdbcTemplate jdbc = TestDatabase.migrated();
    final KeyCustody custody = CustodyFixtures.custody(jdbc, Clock.systemUTC());
    final AcmeProperties properties;
    final IssuanceProperties issuance;
    final AcmeIssuer issuer;

    AcmeFixture(String directoryUrl, Path trustedCaFile, Duration deadline) {
        properties = new AcmeProperties(
                directoryUrl, "ops@example.test", trustedCaFile, Duration.ofMillis(200), Duration.ofSeconds(5));
        issuance = new IssuanceProperties(
                Map.of(
                        "standard",
                                new IssuanceProperties.Profile(
                                        Duration.ofDays(90), KeySpec.EC_P256, List.of("example.test")),
                        "emergency",
                                new IssuanceProperties.Profile(
                                        Duration.ofDays(7), KeySpec.EC_P256, List.of("example.test"))),
                deadline);
        issuer = restarted();
    }

    AcmeIssuer restarted() {
        return new AcmeIssuer(
                custody,
                new IssuanceRequestStore(jdbc, Clock.systemUTC()),
                new IssuedCertificateStore(jdbc, Clock.systemUTC()),
                new ChallengeStore(jdbc, Clock.systemUTC()),
                jdbc,
                properties,
                issuance,
                Clock.systemUTC());
    }
}
