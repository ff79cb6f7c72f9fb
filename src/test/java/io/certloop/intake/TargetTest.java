package io.certloop.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetTest {

    static Stream<Arguments> targets() {
        return Stream.of(
                Arguments.of(
                        "a host and port are taken as they are", "www.example.test:8443", "www.example.test", 8443),
                Arguments.of("a bare host gets the TLS port 443", "www.example.test", "www.example.test", 443),
                Arguments.of(
                        "an https URL loses its scheme and path",
                        "https://www.example.test/healthz?x=1",
                        "www.example.test",
                        443),
                Arguments.of(
                        "a URL with a port keeps the port", "https://api.example.test:9443/", "api.example.test", 9443),
                Arguments.of(
                        "host names are compared in lower case", "HTTPS://WWW.Example.TEST", "www.example.test", 443),
                Arguments.of(
                        "a bracketed IPv6 address with port is split at the bracket",
                        "[2001:db8::1]:8443",
                        "2001:db8::1",
                        8443),
                Arguments.of(
                        "a tcp scheme from blackbox tcp probes is stripped too",
                        "tcp://mail.example.test:465",
                        "mail.example.test",
                        465),
                Arguments.of(
                        "user info in a URL is not part of the host",
                        "https://probe@www.example.test",
                        "www.example.test",
                        443));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void parsesAlertTargets(String sentence, String raw, String host, int port) {
        assertThat(Target.parse(raw)).contains(new Target(host, port));
    }

    @ParameterizedTest(name = "\"{0}\" is not a target")
    @ValueSource(
            strings = {"", "  ", "host:", "host:notaport", "host:70000", "host:0", "https://", "[::1", "two words:443"})
    void refusesWhatIsNoTarget(String raw) {
        assertThat(Target.parse(raw)).isEmpty();
    }
}
