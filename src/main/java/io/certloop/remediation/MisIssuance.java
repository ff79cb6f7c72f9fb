package io.certloop.remediation;

import java.util.List;

/**
 * The certificate an endpoint presents that breaks policy, and whether CertLoop's own CA issued it (then
 * CertLoop revokes it once the replacement is verified live; another CA's certificate is revoked by that CA).
 *
 * @param internalSerial serial (lower-case hex) when CertLoop's internal CA issued the presented certificate, else null
 */
public record MisIssuance(
        boolean reachable,
        String presentedSha256,
        String issuer,
        String internalSerial,
        List<String> findingCodes,
        String summary) {

    public MisIssuance {
        findingCodes = List.copyOf(findingCodes);
    }
}
