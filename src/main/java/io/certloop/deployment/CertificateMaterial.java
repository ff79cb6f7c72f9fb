package io.certloop.deployment;

import java.util.List;

/**
 * The public half of what is deployed: the leaf and its chain (issuing intermediate first, root
 * usually omitted), each as one PEM block. Private keys never travel in this record; see
 * {@link KeyMaterialSource}.
 */
public record CertificateMaterial(String leafPem, List<String> chainPems) {

    public CertificateMaterial {
        if (leafPem == null || !leafPem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new DeploymentException.InvalidRequest("leafPem must be a PEM certificate");
        }
        chainPems = chainPems == null ? List.of() : List.copyOf(chainPems);
        for (String pem : chainPems) {
            if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
                throw new DeploymentException.InvalidRequest("every chainPems entry must be a PEM certificate");
            }
        }
    }

    @Override
    public String toString() {
        return "CertificateMaterial[leaf, " + chainPems.size() + " chain certificate(s)]";
    }
}
