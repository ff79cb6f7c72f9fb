package io.certloop.custody;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Keys born outside custody: an agent generates a key on the service's host, writes it straight into a stream it
 * owns (its own owner-only file), and hands out only the CSR. Custody builds its own CSRs and key PEM with the same
 * code, so a CSR from a host and one from custody look alike to a CA.
 */
public final class HostKeys {

    private static final Pattern IP_LITERAL = Pattern.compile("^[0-9.]+$|^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$");

    private HostKeys() {}

    /**
     * Generates a key of {@code spec}, writes its PKCS#8 PEM to {@code keyOut} and returns the PEM CSR for
     * {@code names}. The private key exists nowhere else once this returns.
     */
    public static String generate(KeySpec spec, List<String> names, OutputStream keyOut) throws IOException {
        KeyPair pair = spec.generator().generateKeyPair();
        writePkcs8Pem(pair.getPrivate(), keyOut);
        return io.certloop.system.Pem.encode("CERTIFICATE REQUEST", csrDer(pair, spec, names));
    }

    /** A CSR: CN is the first name, every name goes into the subjectAltName (DNS names, or IP literals). */
    static byte[] csrDer(KeyPair pair, KeySpec spec, List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("a CSR needs at least one name");
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, names.get(0))
                .build();
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(names));
            return new JcaPKCS10CertificationRequestBuilder(subject, pair.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(new JcaContentSignerBuilder(spec.signatureAlgorithm()).build(pair.getPrivate()))
                    .getEncoded();
        } catch (IOException | OperatorCreationException e) {
            throw new CustodyException("cannot build a CSR for " + names, e);
        }
    }

    /** The private key as PKCS#8 PEM into a stream the caller owns. */
    static void writePkcs8Pem(PrivateKey key, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(writer);
        pem.writeObject(new JcaPKCS8Generator(key, null));
        pem.flush();
    }

    private static GeneralNames subjectAltNames(List<String> names) {
        List<GeneralName> result = new ArrayList<>();
        for (String name : names) {
            if (IP_LITERAL.matcher(name).matches()) {
                try {
                    result.add(new GeneralName(
                            GeneralName.iPAddress,
                            new DEROctetString(InetAddress.getByName(name).getAddress())));
                } catch (IOException e) {
                    throw new IllegalArgumentException("not an IP address: " + name);
                }
            } else {
                result.add(new GeneralName(GeneralName.dNSName, name));
            }
        }
        return new GeneralNames(result.toArray(GeneralName[]::new));
    }
}
