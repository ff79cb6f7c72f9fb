package io.certloop.custody;

import io.certloop.system.Pem;

/**
 * A PKCS#10 certificate signing request made and signed inside custody; safe to hand to a CA or an
 * administrator because it holds only the public key.
 */
public record Csr(String keyId, byte[] der) {

    public Csr {
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    /** The request as PEM ("CERTIFICATE REQUEST"), as administrators and CA web forms expect. */
    public String pem() {
        return Pem.encode("CERTIFICATE REQUEST", der);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Csr csr && csr.keyId.equals(keyId) && java.util.Arrays.equals(csr.der, der);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode() * 31 + java.util.Arrays.hashCode(der);
    }

    @Override
    public String toString() {
        return "Csr[keyId=" + keyId + ", " + der.length + " bytes]";
    }
}
