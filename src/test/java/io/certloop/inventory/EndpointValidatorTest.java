package io.certloop.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.issuance.AllowedDomains;
import io.certloop.system.FieldError;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EndpointValidatorTest {

    /** Deployments may write below /etc/ssl and /a only; the standard profile issues for example.test. */
    private static final DeploymentPathRules PATHS = path -> path.startsWith("/etc/ssl/") || path.startsWith("/a/")
            ? Optional.empty()
            : Optional.of("is outside the directories deployments may write to");

    private static final IssuanceNameRules NAMES = new IssuanceNameRules() {
        @Override
        public boolean hasProfile(String profile) {
            return profile.equals("standard");
        }

        @Override
        public Optional<String> refusal(String profile, String name) {
            return AllowedDomains.of(List.of("example.test")).allows(name)
                    ? Optional.empty()
                    : Optional.of("'" + name + "' is outside the domains of issuance profile '" + profile + "'");
        }
    };

    private final EndpointValidator validator = new EndpointValidator(Set.of("reload-nginx")::contains, PATHS, NAMES);

    private static EndpointRequest valid() {
        return new EndpointRequest(
                "web",
                "www.example.test",
                443,
                null,
                null,
                null,
                1,
                "production",
                new EndpointRequest.OwnerRequest("web", "web@example.test"),
                null,
                "acme",
                null,
                new EndpointRequest.DeploymentRequest(
                        "files", null, null, "/etc/ssl/web/fullchain.pem", "/etc/ssl/web/key.pem", "reload-nginx"),
                null,
                null);
    }

    static List<Arguments> rejected() {
        return List.of(
                Arguments.of(
                        "a port above 65535", (UnaryOperator<EndpointRequest>) r -> copy(r, "port", 65536), "port"),
                Arguments.of("a tier outside 0-3", (UnaryOperator<EndpointRequest>) r -> copy(r, "tier", 4), "tier"),
                Arguments.of("a missing tier", (UnaryOperator<EndpointRequest>) r -> copy(r, "tier", null), "tier"),
                Arguments.of(
                        "an unknown environment",
                        (UnaryOperator<EndpointRequest>) r -> copy(r, "environment", "prod"),
                        "environment"),
                Arguments.of(
                        "a malformed owner email",
                        (UnaryOperator<EndpointRequest>)
                                r -> copy(r, "serviceOwner", new EndpointRequest.OwnerRequest("web", "web-at-example")),
                        "serviceOwner.email"),
                Arguments.of(
                        "an unknown reload action",
                        (UnaryOperator<EndpointRequest>) r -> copy(
                                r,
                                "deployment",
                                new EndpointRequest.DeploymentRequest(
                                        "files", null, null, "/a/full.pem", "/a/key.pem", "sh -c reboot")),
                        "deployment.reloadAction"),
                Arguments.of(
                        "a deployment without a key path",
                        (UnaryOperator<EndpointRequest>) r -> copy(
                                r,
                                "deployment",
                                new EndpointRequest.DeploymentRequest("files", "/a/cert.pem", null, null, null, null)),
                        "deployment.keyPath"),
                Arguments.of(
                        "a deployment without any certificate path",
                        (UnaryOperator<EndpointRequest>) r -> copy(
                                r,
                                "deployment",
                                new EndpointRequest.DeploymentRequest("files", null, null, null, "/a/key.pem", null)),
                        "deployment.certificatePath"),
                Arguments.of(
                        "a relative deployment path",
                        (UnaryOperator<EndpointRequest>) r -> copy(
                                r,
                                "deployment",
                                new EndpointRequest.DeploymentRequest(
                                        "files", "../etc/cert.pem", null, null, "/a/key.pem", null)),
                        "deployment.certificatePath"),
                Arguments.of(
                        "a host with a space",
                        (UnaryOperator<EndpointRequest>) r -> copy(r, "host", "www example"),
                        "host"),
                Arguments.of(
                        "an all-digit name", (UnaryOperator<EndpointRequest>) r -> copy(r, "name", "12345"), "name"),
                Arguments.of(
                        "a short fingerprint",
                        (UnaryOperator<EndpointRequest>) r -> copy(r, "expectedSha256", "abc"),
                        "expectedSha256"),
                Arguments.of(
                        "a key path outside the allowed directories",
                        (UnaryOperator<EndpointRequest>) r -> copy(
                                r,
                                "deployment",
                                new EndpointRequest.DeploymentRequest(
                                        "files", null, null, "/a/full.pem", "/var/lib/certloop/key.pem", null)),
                        "deployment.keyPath"),
                Arguments.of(
                        "a certificate path with '..' segments",
                        (UnaryOperator<EndpointRequest>) r -> copy(
                                r,
                                "deployment",
                                new EndpointRequest.DeploymentRequest(
                                        "files", "/a/../etc/cert.pem", null, null, "/a/key.pem", null)),
                        "deployment.certificatePath"),
                Arguments.of(
                        "an expected name outside the profile's domains",
                        (UnaryOperator<EndpointRequest>)
                                r -> copy(r, "expectedNames", List.of("www.example.test", "www.bank.example")),
                        "expectedNames[1]"),
                Arguments.of(
                        "a name that only ends like an allowed domain",
                        (UnaryOperator<EndpointRequest>) r -> copy(r, "expectedNames", List.of("badexample.test")),
                        "expectedNames[0]"),
                Arguments.of(
                        "a wildcard above the allowed domain",
                        (UnaryOperator<EndpointRequest>) r -> copy(r, "expectedNames", List.of("*.test")),
                        "expectedNames[0]"),
                Arguments.of(
                        "a host outside the profile's domains when no names are given",
                        (UnaryOperator<EndpointRequest>) r -> copy(r, "host", "www.bank.example"),
                        "host"),
                Arguments.of(
                        "a profile the server does not configure",
                        (UnaryOperator<EndpointRequest>) r -> copy(r, "profile", "gold"),
                        "profile"),
                Arguments.of(
                        "an unknown replacement path",
                        (UnaryOperator<EndpointRequest>) r -> copy(r, "replacementPath", "fax"),
                        "replacementPath"));
    }

    @ParameterizedTest(name = "refuses {0}")
    @MethodSource("rejected")
    void refusesBadInputNamingTheField(String description, UnaryOperator<EndpointRequest> change, String field) {
        EndpointValidator.Result result = validator.validate(change.apply(valid()), "");
        assertThat(result.endpoint()).isNull();
        assertThat(result.errors()).extracting(FieldError::field).contains(field);
    }

    @Test
    void acceptsAValidEndpointAndFillsDefaults() {
        EndpointValidator.Result result = validator.validate(valid(), "");
        assertThat(result.errors()).isEmpty();
        Endpoint endpoint = result.endpoint();
        assertThat(endpoint.expectedNames()).containsExactly("www.example.test");
        assertThat(endpoint.profile()).isEqualTo("standard");
        assertThat(endpoint.certificateOwner())
                .as("a missing owner is a fact, not an error")
                .isNull();
        assertThat(endpoint.replacementPath()).isEqualTo(ReplacementPath.ACME);
    }

    @Test
    void anAgentDeploymentNamesItsGroupAndIsJudgedByTheAgentsOwnDirectoriesAndReloadActions() {
        EndpointRequest agent = copy(
                valid(),
                "deployment",
                new EndpointRequest.DeploymentRequest(
                        "agent", null, null, "/srv/tls/www.pem", "/srv/tls/www.key", "nginx-on-host", "web-eu"));
        EndpointValidator.Result result = validator.validate(agent, "");
        assertThat(result.errors())
                .as("paths outside the server's directories, a reload action of the agent's configuration")
                .isEmpty();
        assertThat(result.endpoint().deployment().throughAgent()).isTrue();
        assertThat(result.endpoint().deployment().agentGroup()).isEqualTo("web-eu");

        EndpointRequest noGroup = copy(
                valid(),
                "deployment",
                new EndpointRequest.DeploymentRequest(
                        "agent", null, null, "/srv/tls/www.pem", "/srv/tls/www.key", "nginx", null));
        assertThat(validator.validate(noGroup, "").errors())
                .extracting(FieldError::field)
                .containsExactly("deployment.agentGroup");
        EndpointRequest groupOnFiles = copy(
                valid(),
                "deployment",
                new EndpointRequest.DeploymentRequest(
                        "files", null, null, "/a/full.pem", "/a/key.pem", "reload-nginx", "web-eu"));
        assertThat(validator.validate(groupOnFiles, "").errors())
                .extracting(FieldError::field)
                .containsExactly("deployment.agentGroup");
    }

    @Test
    void acceptsAWildcardWithinTheProfilesDomains() {
        EndpointValidator.Result result =
                validator.validate(copy(valid(), "expectedNames", List.of("*.example.test", "example.test")), "");
        assertThat(result.errors()).isEmpty();
    }

    @Test
    void aManualEndpointIsWatchedNotIssuedForAndMayExpectAnyName() {
        EndpointRequest manual =
                copy(copy(valid(), "replacementPath", "manual"), "expectedNames", List.of("partner.bank.example"));
        EndpointValidator.Result result = validator.validate(manual, "");
        assertThat(result.errors()).isEmpty();
        assertThat(result.endpoint().expectedNames()).containsExactly("partner.bank.example");
    }

    @Test
    void normalizesFingerprintsToLowerCaseHexWithoutSeparators() {
        String colons = "AB:".repeat(31) + "AB";
        Endpoint endpoint =
                validator.validate(copy(valid(), "expectedSha256", colons), "").endpoint();
        assertThat(endpoint.expectedSha256()).isEqualTo("ab".repeat(32));
    }

    @Test
    void partnerContactsAreEmailAddressesKeptLowerCaseOnce() {
        Endpoint endpoint = validator
                .validate(
                        copy(
                                valid(),
                                "partnerContacts",
                                List.of("Ops@Partner.example.test", " ops@partner.example.test ", "pki@bank.test")),
                        "")
                .endpoint();
        assertThat(endpoint.partnerContacts()).containsExactly("ops@partner.example.test", "pki@bank.test");
        assertThat(validator.validate(valid(), "").endpoint().partnerContacts()).isEmpty();
    }

    @Test
    void aPartnerContactThatIsNotAnEmailAddressIsNamedByItsIndex() {
        EndpointValidator.Result result = validator.validate(
                copy(valid(), "partnerContacts", java.util.Arrays.asList("ops@partner.test", "not-mail", null)),
                "endpoints[2].");
        assertThat(result.endpoint()).isNull();
        assertThat(result.errors())
                .extracting(FieldError::field)
                .containsExactly("endpoints[2].partnerContacts[1]", "endpoints[2].partnerContacts[2]");
        assertThat(validator
                        .validate(copy(valid(), "partnerContacts", java.util.Collections.nCopies(16, "a@b.test")), "")
                        .errors())
                .extracting(FieldError::field)
                .containsExactly("partnerContacts");
    }

    @Test
    void namesFieldsUnderThePrefixOfAnImportedDocument() {
        EndpointValidator.Result result = validator.validate(copy(valid(), "port", 0), "endpoints[4].");
        assertThat(result.errors()).extracting(FieldError::field).containsExactly("endpoints[4].port");
    }

    @SuppressWarnings("unchecked")
    private static List<String> castNames(Object value) {
        return (List<String>) value;
    }

    private static EndpointRequest copy(EndpointRequest r, String field, Object value) {
        return new EndpointRequest(
                field.equals("name") ? (String) value : r.name(),
                field.equals("host") ? (String) value : r.host(),
                field.equals("port") ? (Integer) value : r.port(),
                r.sni(),
                r.addresses(),
                field.equals("expectedNames") ? castNames(value) : r.expectedNames(),
                field.equals("tier") ? (Integer) value : r.tier(),
                field.equals("environment") ? (String) value : r.environment(),
                field.equals("serviceOwner") ? (EndpointRequest.OwnerRequest) value : r.serviceOwner(),
                r.certificateOwner(),
                field.equals("replacementPath") ? (String) value : r.replacementPath(),
                field.equals("profile") ? (String) value : r.profile(),
                field.equals("deployment") ? (EndpointRequest.DeploymentRequest) value : r.deployment(),
                field.equals("expectedSha256") ? (String) value : r.expectedSha256(),
                field.equals("partnerContacts") ? castNames(value) : r.partnerContacts());
    }
}
