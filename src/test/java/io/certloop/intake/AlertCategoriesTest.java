package io.certloop.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How alert names and probe findings become incident categories. */
class AlertCategoriesTest {

    private final IntakeProperties defaults = new IntakeProperties(null, null);

    static Stream<Arguments> alertnames() {
        return Stream.of(
                Arguments.of(
                        "blackbox's expiring-soon alert is a pre-emptive expiry",
                        "SSLCertExpiringSoon",
                        "expiry",
                        "expiring"),
                Arguments.of(
                        "ssl_exporter's will-expire alert is a pre-emptive expiry",
                        "SslCertificateWillExpireSoon",
                        "expiry",
                        "expiring"),
                Arguments.of(
                        "awesome-prometheus-alerts' blackbox expiring alert is a pre-emptive expiry",
                        "BlackboxSslCertificateWillExpireSoon",
                        "expiry",
                        "expiring"),
                Arguments.of(
                        "an expired alert is an expiry whose subcategory comes from the environment",
                        "SSLCertExpired",
                        "expiry",
                        null),
                Arguments.of("the blackbox expired alert likewise", "BlackboxSslCertificateExpired", "expiry", null),
                Arguments.of("alert names match whatever their case", "sslcertexpiringsoon", "expiry", "expiring"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alertnames")
    void defaultAlertnamesMapToExpiry(String sentence, String alertname, String category, String subcategory) {
        assertThat(defaults.categoryOf(alertname)).contains(new CategoryRef(category, subcategory));
    }

    @Test
    void anAlertNameNobodyMappedHasNoCategory() {
        assertThat(defaults.categoryOf("HighCpuLoad")).isEmpty();
    }

    @Test
    void configurationAddsToAndOverridesTheDefaults() {
        IntakeProperties configured = new IntakeProperties(
                Map.of(
                        "TLSChainIncomplete", "trust-mismatch/intermediate-not-sent",
                        "SSLCertExpiringSoon", "expiry"),
                null);
        assertThat(configured.categoryOf("TLSChainIncomplete"))
                .contains(new CategoryRef("trust-mismatch", "intermediate-not-sent"));
        assertThat(configured.categoryOf("SSLCertExpiringSoon")).contains(new CategoryRef("expiry", null));
        assertThat(configured.categoryOf("BlackboxSslCertificateExpired")).contains(new CategoryRef("expiry", null));
    }

    @Test
    void aMisspelledCategoryInConfigurationStopsTheStartWithItsKey() {
        assertThatThrownBy(() -> new IntakeProperties(Map.of("MyAlert", "expirey"), null))
                .hasMessageContaining("certloop.intake.alertname-categories.MyAlert=expirey");
        assertThatThrownBy(() -> new IntakeProperties(Map.of("MyAlert", "expiry/soon"), null))
                .hasMessageContaining("MyAlert");
    }

    static Stream<Arguments> findings() {
        return Stream.of(
                Arguments.of(
                        "an expired certificate opens an expiry incident split by environment",
                        "EXPIRED",
                        "expiry",
                        null),
                Arguments.of(
                        "a certificate expiring soon opens a pre-emptive expiry incident",
                        "EXPIRING_SOON",
                        "expiry",
                        "expiring"),
                Arguments.of(
                        "a fingerprint other than the expected one means renewed but not deployed",
                        "FINGERPRINT_MISMATCH",
                        "renewed-not-deployed",
                        null),
                Arguments.of(
                        "an incomplete chain is a trust mismatch: intermediate not sent",
                        "CHAIN_INCOMPLETE",
                        "trust-mismatch",
                        "intermediate-not-sent"),
                Arguments.of(
                        "an untrusted root is a trust mismatch: root missing",
                        "UNTRUSTED_ROOT",
                        "trust-mismatch",
                        "root-missing"),
                Arguments.of(
                        "a revoked certificate still served is a revocation propagation incident",
                        "REVOKED",
                        "revocation-propagation",
                        null),
                Arguments.of(
                        "names that drifted from the inventory's are a certificate issued against policy",
                        "NAME_MISMATCH",
                        "mis-issuance",
                        "against-policy"),
                Arguments.of(
                        "a key below policy is a certificate issued against policy",
                        "WEAK_KEY",
                        "mis-issuance",
                        "against-policy"),
                Arguments.of(
                        "a signature below policy is a certificate issued against policy",
                        "WEAK_SIGNATURE",
                        "mis-issuance",
                        "against-policy"),
                Arguments.of(
                        "a certificate not valid yet is a CA error for a person to look at",
                        "NOT_YET_VALID",
                        "mis-issuance",
                        "ca-error"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("findings")
    void findingsOpenTheirCategory(String sentence, String code, String category, String subcategory) {
        assertThat(FindingCategories.of(code)).contains(new CategoryRef(category, subcategory));
    }

    @Test
    void aFindingWithoutIncidentMeaningOpensNothing() {
        assertThat(FindingCategories.of("SELF_SIGNED")).isEmpty();
        assertThat(FindingCategories.of("INCONSISTENT_BACKENDS")).isEmpty();
        assertThat(FindingCategories.of(null)).isEmpty();
    }
}
