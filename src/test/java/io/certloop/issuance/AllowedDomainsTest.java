package io.certloop.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certloop.custody.KeySpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllowedDomainsTest {

    private static final AllowedDomains EXAMPLE = AllowedDomains.of(List.of("example.com", "Corp.Test.", "10.0.0.7"));

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "example.com, true",
        "a.example.com, true",
        "a.b.example.com, true",
        "WWW.Example.COM., true",
        "badexample.com, false",
        "example.com.evil.net, false",
        "com, false",
        "*.example.com, true",
        "*.a.example.com, true",
        "*.com, false",
        "a.*.example.com, false",
        "portal.corp.test, true",
        "10.0.0.7, true",
        "10.0.0.8, false",
        "0.0.7, false",
        "localhost, false"
    })
    void a_domain_allows_itself_and_its_subdomains_on_whole_labels(String name, boolean allowed) {
        assertThat(EXAMPLE.allows(name)).isEqualTo(allowed);
    }

    @Test
    void an_address_matches_only_exactly_never_as_a_suffix() {
        assertThat(AllowedDomains.of(List.of("0.0.1")).allows("127.0.0.1")).isFalse();
    }

    @Test
    void no_domains_allow_no_name() {
        assertThat(AllowedDomains.of(List.of()).allows("localhost")).isFalse();
        assertThat(AllowedDomains.of(List.of(" ")).allows("")).isFalse();
    }

    @Test
    void a_wildcard_or_a_pattern_in_the_configuration_is_refused() {
        assertThatThrownBy(() -> AllowedDomains.of(List.of("*.example.com")))
                .hasMessageContaining("allowed-domains lists DNS domains");
        assertThatThrownBy(() -> AllowedDomains.of(List.of("exa mple.com")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_profile_without_allowed_domains_issues_nothing_and_says_why() {
        IssuanceProperties properties = new IssuanceProperties(
                Map.of(
                        "standard", new IssuanceProperties.Profile(Duration.ofDays(90), KeySpec.EC_P256, List.of()),
                        "web",
                                new IssuanceProperties.Profile(
                                        Duration.ofDays(90), KeySpec.EC_P256, List.of("example.com"))),
                Duration.ofSeconds(30));

        assertThatThrownBy(() -> properties.permitted(IssueRequest.of("x", List.of("localhost"), "standard", "k-1")))
                .isInstanceOf(IssuanceRejectedException.class)
                .hasMessageContaining("issues nothing");
        assertThatThrownBy(() -> properties.permitted(
                        IssueRequest.of("x", List.of("www.example.com", "www.bank.test"), "web", "k-2")))
                .isInstanceOf(IssuanceRejectedException.class)
                .hasMessageContaining("'www.bank.test'");
        assertThat(properties.permitted(IssueRequest.of("x", List.of("*.example.com"), "web", "k-3")))
                .isNotNull();
        assertThat(properties.refusal("gold", "www.example.com"))
                .hasValueSatisfying(r -> assertThat(r).contains("no issuance profile"));
    }

    @Test
    void with_no_profile_configured_the_default_standard_profile_issues_nothing() {
        IssuanceProperties defaults = new IssuanceProperties(Map.of(), null);

        assertThat(defaults.refusal("standard", "localhost")).isPresent();
    }
}
