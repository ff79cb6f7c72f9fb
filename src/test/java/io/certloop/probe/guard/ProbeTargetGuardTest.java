package io.certloop.probe.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certloop.probe.InvalidProbeRequestException;
import io.certloop.probe.ProbeProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProbeTargetGuardTest {

    private static ProbeTargetGuard guard(List<String> allowlist, Map<String, String> dns, InventoryTargets inventory) {
        ProbeProperties properties = ProbeProperties.defaults().withAllowlist(allowlist);
        return new ProbeTargetGuard(properties, inventory, host -> {
            String address = dns.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(address)};
        });
    }

    @ParameterizedTest(name = "refuses the metadata service spelled {0}")
    @ValueSource(
            strings = {
                "169.254.169.254",
                "2852039166",
                "0xA9FEA9FE",
                "0xa9fea9fe",
                "0251.0376.0251.0376",
                "0251.254.43518",
                "169.16689662",
                "::ffff:169.254.169.254",
                "::ffff:a9fe:a9fe",
                "[::ffff:169.254.169.254]",
                "::169.254.169.254",
                "64:ff9b::a9fe:a9fe",
                "2002:a9fe:a9fe::1",
                "169.254.169.254.",
                "１６９．２５４．１６９．２５４",
                "fd00:ec2::254",
                "FD00:EC2:0:0:0:0:0:254",
                "100.100.100.200",
                "168.63.129.16",
                "metadata.google.internal",
                "METADATA.GOOGLE.INTERNAL.",
                "169.254.170.2"
            })
    void refusesTheMetadataServiceInAnySpelling(String spelling) {
        ProbeTargetGuard guard = guard(List.of("0.0.0.0/0", "::/0", "*.internal"), Map.of(), InventoryTargets.none());

        assertThatThrownBy(() -> guard.permit(spelling, 443, List.of()))
                .isInstanceOf(ProbeRefusedException.class)
                .satisfies(e -> assertThat(((ProbeRefusedException) e).reason()).contains("never probed"));
    }

    @ParameterizedTest(name = "refuses link-local {0} even for an inventory endpoint")
    @ValueSource(strings = {"169.254.1.1", "fe80::1", "fe80::1%1", "0.0.0.0"})
    void refusesLinkLocalEvenForInventoryEndpoints(String address) {
        ProbeTargetGuard guard = guard(List.of(), Map.of(), (host, port) -> true);

        assertThatThrownBy(() -> guard.permit(address, 443, List.of())).isInstanceOf(ProbeRefusedException.class);
    }

    @Test
    void refusesAnAllowedNameThatResolvesToTheMetadataAddress() {
        ProbeTargetGuard guard =
                guard(List.of("*.example.com"), Map.of("evil.example.com", "169.254.169.254"), InventoryTargets.none());

        assertThatThrownBy(() -> guard.permit("evil.example.com", 443, List.of()))
                .isInstanceOf(ProbeRefusedException.class)
                .hasMessageContaining("169.254.169.254");
    }

    @Test
    void refusesAPunycodeNameThatResolvesToTheMetadataAddress() {
        String punycode = java.net.IDN.toASCII("mètadata.example");
        ProbeTargetGuard guard =
                guard(List.of("0.0.0.0/0"), Map.of(punycode, "169.254.169.254"), InventoryTargets.none());

        assertThat(punycode).startsWith("xn--");
        assertThatThrownBy(() -> guard.permit("mètadata.example", 443, List.of()))
                .isInstanceOf(ProbeRefusedException.class);
        assertThatThrownBy(() -> guard.permit(punycode.toUpperCase(), 443, List.of()))
                .isInstanceOf(ProbeRefusedException.class);
    }

    @Test
    void refusesAHostThatIsNeitherInventoryNorAllowlisted() {
        ProbeTargetGuard guard = guard(
                List.of("10.0.0.0/8", "*.example.com", "exact.test"),
                Map.of("intranet.corp", "192.168.1.10"),
                InventoryTargets.none());

        assertThatThrownBy(() -> guard.permit("intranet.corp", 443, List.of()))
                .isInstanceOf(ProbeRefusedException.class)
                .hasMessageContaining("allowlist");
        assertThatThrownBy(() -> guard.permit("192.168.1.10", 443, List.of()))
                .isInstanceOf(ProbeRefusedException.class);
    }

    @Test
    void permitsAllowlistedPatternsAndNetworksAndInventoryEndpoints() {
        ProbeTargetGuard guard = guard(
                List.of("10.0.0.0/8", "*.example.com", "exact.test"),
                Map.of(
                        "api.example.com",
                        "203.0.113.5",
                        "exact.test",
                        "203.0.113.6",
                        "intranet.corp",
                        "192.168.1.10",
                        "example.com",
                        "203.0.113.7"),
                (host, port) -> host.equals("intranet.corp") && port == 8443);

        assertThat(guard.permit("api.example.com", 443, List.of()).addresses())
                .extracting(InetAddress::getHostAddress)
                .containsExactly("203.0.113.5");
        assertThat(guard.permit("EXACT.test.", 443, List.of()).host()).isEqualTo("exact.test");
        assertThat(guard.permit("10.1.2.3", 443, List.of()).addresses()).hasSize(1);
        assertThat(guard.permit("intranet.corp", 8443, List.of()).addresses()).hasSize(1);
        assertThatThrownBy(() -> guard.permit("intranet.corp", 443, List.of()))
                .isInstanceOf(ProbeRefusedException.class);
        assertThatThrownBy(() -> guard.permit("example.com", 443, List.of())).isInstanceOf(ProbeRefusedException.class);
    }

    @Test
    void everyExplicitAddressIsCheckedToo() {
        ProbeTargetGuard guard = guard(
                List.of("*.example.com", "10.0.0.0/8"), Map.of("api.example.com", "10.0.0.5"), InventoryTargets.none());

        assertThat(guard.permit("api.example.com", 443, List.of("10.0.0.6", "0x0a000007"))
                        .addresses())
                .extracting(InetAddress::getHostAddress)
                .containsExactly("10.0.0.5", "10.0.0.6", "10.0.0.7");
        assertThatThrownBy(() -> guard.permit("api.example.com", 443, List.of("0xA9FEA9FE")))
                .isInstanceOf(ProbeRefusedException.class);
        assertThatThrownBy(() -> guard.permit("api.example.com", 443, List.of("backend.example.com")))
                .isInstanceOf(InvalidProbeRequestException.class)
                .satisfies(e -> assertThat(((InvalidProbeRequestException) e)
                                .errors()
                                .get(0)
                                .field())
                        .isEqualTo("addresses[0]"));
    }

    @Test
    void anAllowedHostDoesNotVouchForExtraAddressesOutsideTheAllowlist() {
        ProbeTargetGuard guard = guard(
                List.of("*.example.com", "10.0.0.0/8"),
                Map.of("api.example.com", "203.0.113.5"),
                InventoryTargets.none());

        assertThatThrownBy(() -> guard.permit("api.example.com", 443, List.of("10.0.0.6", "192.168.1.1")))
                .isInstanceOf(ProbeRefusedException.class)
                .satisfies(e -> assertThat(((ProbeRefusedException) e).field()).isEqualTo("addresses[1]"))
                .hasMessageContaining("192.168.1.1");
        assertThat(guard.permit("api.example.com", 443, List.of("203.0.113.5")).addresses())
                .extracting(InetAddress::getHostAddress)
                .as("the host's own address needs no allowlist entry")
                .containsExactly("203.0.113.5");
    }

    @Test
    void anInventoryEndpointReachesItsRegisteredAddressesAndNothingElse() {
        InventoryTargets inventory = new InventoryTargets() {
            @Override
            public boolean isInventoryEndpoint(String host, int port) {
                return host.equals("shop.corp") && port == 443;
            }

            @Override
            public List<String> registeredAddresses(String host, int port) {
                return isInventoryEndpoint(host, port) ? List.of("10.9.0.1", "10.9.0.2") : List.of();
            }
        };
        ProbeTargetGuard guard = guard(List.of(), Map.of("shop.corp", "10.9.0.1"), inventory);

        assertThat(guard.permit("shop.corp", 443, List.of("10.9.0.2")).addresses())
                .extracting(InetAddress::getHostAddress)
                .containsExactly("10.9.0.1", "10.9.0.2");
        // the attack: a caller adds addresses to an inventory endpoint's probe
        assertThatThrownBy(() -> guard.permit("shop.corp", 443, List.of("10.9.0.2", "10.0.0.1", "192.168.1.1")))
                .isInstanceOf(ProbeRefusedException.class)
                .satisfies(e -> assertThat(((ProbeRefusedException) e).field()).isEqualTo("addresses[1]"));
        assertThatThrownBy(() -> guard.permit("shop.corp", 8443, List.of("10.9.0.2")))
                .as("another port is not the inventory endpoint")
                .isInstanceOf(ProbeRefusedException.class);
    }

    @Test
    void theDecisionIsTakenOnceOnTheResolvedAddresses() {
        int[] lookups = {0};
        ProbeProperties properties = ProbeProperties.defaults().withAllowlist(List.of("*.example.com"));
        ProbeTargetGuard guard = new ProbeTargetGuard(properties, InventoryTargets.none(), host -> {
            lookups[0]++; // a rebinding resolver: harmless first, metadata afterwards
            return new InetAddress[] {InetAddress.getByName(lookups[0] == 1 ? "203.0.113.9" : "169.254.169.254")};
        });

        ProbeTargetGuard.Targets targets = guard.permit("rebind.example.com", 443, List.of());

        assertThat(targets.addresses()).extracting(InetAddress::getHostAddress).containsExactly("203.0.113.9");
        assertThat(lookups[0]).isEqualTo(1);
    }

    @Test
    void anUnresolvableHostIsReportedNotRefused() {
        ProbeTargetGuard guard = guard(List.of("*.example.com"), Map.of(), InventoryTargets.none());

        ProbeTargetGuard.Targets targets = guard.permit("gone.example.com", 443, List.of());

        assertThat(targets.addresses()).isEmpty();
        assertThat(targets.resolutionError()).contains("gone.example.com");
    }

    @ParameterizedTest(name = "a revocation fetch to {0} is refused unless allowlisted")
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.8.9.10",
                "10.1.2.3",
                "172.16.0.1",
                "172.31.255.254",
                "192.168.1.1",
                "100.64.0.1",
                "0.0.0.0",
                "224.0.0.1",
                "255.255.255.255",
                "::1",
                "::",
                "fc00::1",
                "fd12:3456::1",
                "fe80::1",
                "ff02::1",
                "::ffff:127.0.0.1",
                "::ffff:10.0.0.1",
                "2002:c0a8:101::1",
                "2130706433",
                "0x7f.1"
            })
    void revocationFetchesRefuseNonPublicAddresses(String address) {
        ProbeTargetGuard open = guard(List.of(), Map.of(), InventoryTargets.none());

        assertThatThrownBy(() -> open.permitFetch(address)).isInstanceOf(ProbeRefusedException.class);
    }

    @Test
    void revocationFetchesReachNonPublicAddressesOnlyInsideAnAllowlistedNetwork() throws Exception {
        ProbeTargetGuard guard = guard(
                List.of("127.0.0.1/32", "10.0.0.0/8", "*.corp"),
                Map.of("crl.corp", "192.168.5.5", "ca.example", "10.1.1.1"),
                InventoryTargets.none());

        assertThat(guard.permitFetch("127.0.0.1").getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(guard.permitFetch("ca.example").getHostAddress()).isEqualTo("10.1.1.1");
        assertThatThrownBy(() -> guard.permitFetch("127.0.0.2")).isInstanceOf(ProbeRefusedException.class);
        assertThatThrownBy(() -> guard.permitFetch("crl.corp"))
                .as("a host pattern is no address allowlist")
                .isInstanceOf(ProbeRefusedException.class);
    }

    @Test
    void aRevocationFetchConnectsToTheFirstPermittedAddressResolvedOnce() throws Exception {
        int[] lookups = {0};
        ProbeTargetGuard guard = new ProbeTargetGuard(ProbeProperties.defaults(), InventoryTargets.none(), host -> {
            lookups[0]++;
            return new InetAddress[] {InetAddress.getByName("10.0.0.1"), InetAddress.getByName("203.0.113.30")};
        });

        assertThat(guard.permitFetch("crl.ca.example").getHostAddress()).isEqualTo("203.0.113.30");
        assertThat(lookups[0]).isEqualTo(1);
    }

    @Test
    void revocationFetchesMayGoToThePublicInternetButNeverToMetadata() throws Exception {
        ProbeTargetGuard guard = guard(
                List.of(),
                Map.of("crl.ca.example", "203.0.113.20", "evil.example", "169.254.169.254"),
                InventoryTargets.none());

        assertThat(guard.permitFetch("crl.ca.example").getHostAddress()).isEqualTo("203.0.113.20");
        assertThatThrownBy(() -> guard.permitFetch("evil.example")).isInstanceOf(ProbeRefusedException.class);
        assertThatThrownBy(() -> guard.permitFetch("0251.0376.0251.0376")).isInstanceOf(ProbeRefusedException.class);
    }
}
