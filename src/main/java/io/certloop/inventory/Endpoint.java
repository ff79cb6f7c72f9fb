package io.certloop.inventory;

import java.time.Instant;
import java.util.List;

/**
 * A TLS endpoint CertLoop is responsible for: where it is, what it should present, who owns it,
 * how a replacement is obtained and where it is deployed. Owners may be missing: that is a fact
 * runbooks handle, not an error.
 *
 * @param partnerContacts e-mail addresses of partners whose systems rely on the certificate (told about a replacement
 *     plan an incident commander approves); empty when none
 */
public record Endpoint(
        Long id,
        String name,
        String host,
        int port,
        String sni,
        List<String> addresses,
        List<String> expectedNames,
        int tier,
        Environment environment,
        Owner serviceOwner,
        Owner certificateOwner,
        ReplacementPath replacementPath,
        String profile,
        FileDeployment deployment,
        String expectedSha256,
        Instant createdAt,
        Instant updatedAt,
        List<String> partnerContacts) {

    public Endpoint {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        expectedNames = expectedNames == null ? List.of() : List.copyOf(expectedNames);
        partnerContacts = partnerContacts == null ? List.of() : List.copyOf(partnerContacts);
    }

    /** The name sent in the TLS client hello. */
    public String serverName() {
        return sni != null ? sni : host;
    }

    Endpoint withIdentity(Long id, Instant createdAt, Instant updatedAt) {
        return new Endpoint(
                id,
                name,
                host,
                port,
                sni,
                addresses,
                expectedNames,
                tier,
                environment,
                serviceOwner,
                certificateOwner,
                replacementPath,
                profile,
                deployment,
                expectedSha256,
                createdAt,
                updatedAt,
                partnerContacts);
    }
}
