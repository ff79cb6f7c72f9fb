package io.certloop.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certloop.inventory.Environment;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaxonomyTest {

    static Stream<Arguments> derived() {
        return Stream.of(
                Arguments.of(
                        "an expiry in production without subcategory is expired-production",
                        "expiry",
                        null,
                        Environment.PRODUCTION,
                        "expired-production"),
                Arguments.of(
                        "an expiry on a hot spare without subcategory is expired-hot-spare",
                        "expiry",
                        null,
                        Environment.HOT_SPARE,
                        "expired-hot-spare"),
                Arguments.of(
                        "an expiry outside production without subcategory is expired-non-production",
                        "expiry",
                        " ",
                        Environment.NON_PRODUCTION,
                        "expired-non-production"),
                Arguments.of(
                        "a given subcategory wins over the environment",
                        "expiry",
                        "expiring",
                        Environment.PRODUCTION,
                        "expiring"),
                Arguments.of(
                        "a trust mismatch keeps its given subcategory",
                        "trust-mismatch",
                        "root-missing",
                        Environment.PRODUCTION,
                        "root-missing"),
                Arguments.of(
                        "renewed-not-deployed has no subcategory",
                        "renewed-not-deployed",
                        null,
                        Environment.PRODUCTION,
                        null),
                Arguments.of(
                        "a CA outage without subcategory stays without",
                        "ca-outage",
                        null,
                        Environment.PRODUCTION,
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("derived")
    void subcategories(String sentence, String category, String given, Environment environment, String expected) {
        assertThat(Taxonomy.subcategoryFor(category, given, environment).orElse(null))
                .isEqualTo(expected);
    }

    @Test
    void aCertificateNotYetExpiredIsExpiringWhateverTheEnvironment() {
        for (Environment environment : Environment.values()) {
            assertThat(Taxonomy.expirySubcategory(environment, false)).isEqualTo("expiring");
        }
    }

    @Test
    void aSubcategoryOfAnotherCategoryIsRefusedNamingTheAllowedOnes() {
        assertThatThrownBy(() -> Taxonomy.subcategoryFor("expiry", "root-missing", Environment.PRODUCTION))
                .hasMessageContaining("expired-production");
        assertThatThrownBy(() -> Taxonomy.subcategoryFor("renewed-not-deployed", "expiring", Environment.PRODUCTION))
                .hasMessageContaining("none");
    }

    @Test
    void theTaxonomyHasTheSevenCategoriesOfTheDomain() {
        assertThat(Taxonomy.categories())
                .containsExactlyInAnyOrder(
                        "expiry",
                        "renewed-not-deployed",
                        "revocation-propagation",
                        "trust-mismatch",
                        "mis-issuance",
                        "key-compromise",
                        "ca-outage");
        assertThat(Taxonomy.subcategoriesOf("expiry"))
                .containsExactly("expired-production", "expired-hot-spare", "expired-non-production", "expiring");
    }
}
