package io.certloop.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certloop.support.TestCertificates;
import io.certloop.support.TestCertificates.Issued;
import java.security.cert.CertificateException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentCertificatesTest {

    private static final Issued ROOT = TestCertificates.rootCa("Sent Root").selfSigned();
    private static final Issued LEAF = TestCertificates.leaf("sent.test").signedBy(ROOT);

    @Test
    void theSameBytesAreParsedAndDescribedOnce() throws Exception {
        SentCertificates certificates = new SentCertificates(8);

        List<SentCertificates.Sent> first = certificates.parse(
                List.of(LEAF.certificate().getEncoded(), ROOT.certificate().getEncoded()));
        List<SentCertificates.Sent> again = certificates.parse(
                List.of(LEAF.certificate().getEncoded(), ROOT.certificate().getEncoded()));

        assertThat(first).extracting(sent -> sent.details().sha256()).containsExactly(LEAF.sha256(), ROOT.sha256());
        assertThat(first.get(0).certificate()).isEqualTo(LEAF.certificate());
        assertThat(first.get(0).details().sans()).containsExactly("sent.test");
        assertThat(again.get(0)).isSameAs(first.get(0));
        assertThat(again.get(1)).isSameAs(first.get(1));
    }

    @Test
    void bytesThatAreNotACertificateAreRefused() {
        SentCertificates certificates = new SentCertificates(8);

        assertThatThrownBy(() -> certificates.parse(List.of(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01})))
                .isInstanceOf(CertificateException.class);
    }
}
