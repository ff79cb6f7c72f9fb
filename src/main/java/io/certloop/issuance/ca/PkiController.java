package io.certloop.issuance.ca;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The relying-party side of the internal CA, unauthenticated on purpose: CA certificates (AIA
 * caIssuers), the CRL (CRL distribution point) and the OCSP responder (RFC 6960, POST and GET).
 */
@RestController
@RequestMapping("/pki")
class PkiController {

    static final MediaType PKIX_CERT = MediaType.parseMediaType("application/pkix-cert");
    static final MediaType PKIX_CRL = MediaType.parseMediaType("application/pkix-crl");
    static final MediaType OCSP_RESPONSE = MediaType.parseMediaType("application/ocsp-response");

    private final CertificateAuthority ca;

    PkiController(CertificateAuthority ca) {
        this.ca = ca;
    }

    @GetMapping("/ca.crt")
    ResponseEntity<byte[]> root() throws CertificateEncodingException {
        return ResponseEntity.ok()
                .contentType(PKIX_CERT)
                .body(ca.material().root().getEncoded());
    }

    @GetMapping("/intermediate.crt")
    ResponseEntity<byte[]> intermediate() throws CertificateEncodingException {
        return ResponseEntity.ok()
                .contentType(PKIX_CERT)
                .body(ca.material().intermediate().getEncoded());
    }

    @GetMapping("/crl")
    ResponseEntity<byte[]> crl() {
        return ResponseEntity.ok()
                .contentType(PKIX_CRL)
                .cacheControl(CacheControl.noCache())
                .body(ca.crl());
    }

    @PostMapping(path = "/ocsp", consumes = "application/ocsp-request")
    ResponseEntity<byte[]> ocspPost(@RequestBody byte[] request) {
        return ResponseEntity.ok().contentType(OCSP_RESPONSE).body(ca.ocsp(request));
    }

    /** RFC 6960 A.1 GET: the DER request, base64, URL-encoded, appended to the responder URL. */
    @GetMapping("/ocsp/**")
    ResponseEntity<byte[]> ocspGet(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String encoded = uri.substring(uri.indexOf("/pki/ocsp/") + "/pki/ocsp/".length());
        byte[] der;
        try {
            der = Base64.getDecoder().decode(URLDecoder.decode(encoded, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            der = new byte[0];
        }
        return ResponseEntity.ok().contentType(OCSP_RESPONSE).body(ca.ocsp(der));
    }
}
