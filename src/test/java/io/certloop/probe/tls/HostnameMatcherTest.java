package io.certloop.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostnameMatcherTest {

    @ParameterizedTest(name = "{3}")
    @CsvSource(delimiter = '|', textBlock = """
            svc.test         | svc.test        | true  | an exact name matches
            SVC.Test.        | svc.test        | true  | names match case-insensitively and without the root dot
            api.svc.test     | *.svc.test      | true  | a wildcard covers one label
            a.b.svc.test     | *.svc.test      | false | a wildcard does not cover two labels
            svc.test         | *.svc.test      | false | a wildcard does not cover the bare parent
            example.com      | *.com           | false | a wildcard needs two labels after it
            api.svc.test     | a*.svc.test     | false | partial-label wildcards are not honoured
            other.test       | svc.test        | false | another name does not match
            127.0.0.1        | 127.0.0.1       | true  | an IP address matches an IP SAN
            127.0.0.1        | *.0.0.1         | false | a wildcard never matches an IP address
            """)
    void matchesPerRfc6125(String expected, String san, boolean matches, String sentence) {
        assertThat(HostnameMatcher.matches(expected, san)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "every expected name must be covered: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            svc.test;www.svc.test | svc.test;www.svc.test | ''
            svc.test;api.svc.test | svc.test              | api.svc.test
            """)
    void reportsUncoveredNames(String expected, String sans, String missing) {
        assertThat(HostnameMatcher.unmatched(List.of(expected.split(";")), List.of(sans.split(";"))))
                .isEqualTo(missing.isEmpty() ? List.of() : List.of(missing.split(";")));
    }
}
