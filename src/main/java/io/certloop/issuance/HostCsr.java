package io.certloop.issuance;

import io.certloop.custody.KeySpec;
import io.certloop.system.Fingerprints;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * A CSR made on a service's host by its agent: the key was born there and stays there. Only the public key is
 * taken from it (the names come from the inventory), after its signature proved the host holds the private key.
 * Its key id names the public key ({@code host-} and the start of the SPKI's SHA-256), so certificates issued for
 * the same host key are found together, and custody never has it.
 */
public record HostCsr(byte[] der, PublicKey publicKey, KeySpec keySpec, String keyId) {

    /** Prefix of the key ids of keys held on a service's host, never in custody. */
    public static final String KEY_ID_PREFIX = "host-";

    public HostCsr {
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    /**
     * Parses and checks a PEM CSR.
     *
     * @throws IssuanceRejectedException when it is not one CSR, its signature does not verify, or its key is not
     *     of the {@code expected} type
     */
    public static HostCsr parse(String pem, KeySpec expected) {
        if (pem == null || pem.length() > 16_384) {
            throw new IssuanceRejectedException("the host's CSR is missing or too long");
        }
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            PemObject block = reader.readPemObject();
            if (block == null || !"CERTIFICATE REQUEST".equals(block.getType())) {
                throw new IssuanceRejectedException("the host's answer is not a PEM CERTIFICATE REQUEST");
            }
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(block.getContent());
            PublicKey key = csr.getPublicKey();
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new IssuanceRejectedException("the host's CSR is not signed by its own key");
            }
            KeySpec spec = specOf(key);
            if (spec != expected) {
                throw new IssuanceRejectedException(
                        "the host's CSR has a " + spec + " key; the profile asks for " + expected);
            }
            String keyId =
                    KEY_ID_PREFIX + Fingerprints.sha256Hex(key.getEncoded()).substring(0, 64 - KEY_ID_PREFIX.length());
            return new HostCsr(block.getContent(), key, spec, keyId);
        } catch (IOException
                | OperatorCreationException
                | PKCSException
                | java.security.GeneralSecurityException
                | IllegalArgumentException e) {
            throw new IssuanceRejectedException(
                    "the host's CSR cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The names the CSR asks for: its subjectAltName DNS names (lower case) and IP addresses. An ACME CA certifies
     * exactly these (they must match the order), unlike the internal CA, which takes the inventory's names.
     */
    public List<String> requestedNames() {
        List<String> names = new ArrayList<>();
        Extensions extensions =
                new PKCS10CertificationRequest(CertificationRequest.getInstance(der)).getRequestedExtensions();
        GeneralNames sans =
                extensions == null ? null : GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        for (GeneralName name : sans == null ? new GeneralName[0] : sans.getNames()) {
            if (name.getTagNo() == GeneralName.dNSName) {
                names.add(name.getName().toString().toLowerCase(Locale.ROOT));
            } else if (name.getTagNo() == GeneralName.iPAddress) {
                try {
                    names.add(InetAddress.getByAddress(
                                    ASN1OctetString.getInstance(name.getName()).getOctets())
                            .getHostAddress());
                } catch (UnknownHostException e) {
                    throw new IssuanceRejectedException("the host's CSR names a malformed IP address");
                }
            }
        }
        return names;
    }

    private static KeySpec specOf(PublicKey key) {
        if (key instanceof ECPublicKey ec
                && ec.getParams().getCurve().getField().getFieldSize() == 256) {
            return KeySpec.EC_P256;
        }
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits == 2048) {
                return KeySpec.RSA_2048;
            }
            if (bits == 3072) {
                return KeySpec.RSA_3072;
            }
        }
        throw new IssuanceRejectedException(
                "the host's CSR has a key of a type CertLoop does not issue for: " + key.getAlgorithm());
    }

    @Override
    public String toString() {
        return "HostCsr[" + keySpec + ", " + keyId + "]";
    }
}
