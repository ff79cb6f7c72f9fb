package io.certloop.issuance.ca;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
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
    /** Largest OCSP request read (DER). */
    static final int MAX_OCSP_REQUEST_BYTES = 4096;

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

    /**
     * RFC 6960 POST. The body is read through a cap of {@value #MAX_OCSP_REQUEST_BYTES} bytes (a request for the
     * allowed {@value CertificateAuthority#MAX_OCSP_CERT_IDS} certificates is well under 1 KiB): more is 413.
     */
    @PostMapping(path = "/ocsp", consumes = "application/ocsp-request")
    ResponseEntity<byte[]> ocspPost(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_OCSP_REQUEST_BYTES) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).build();
        }
        byte[] body = request.getInputStream().readNBytes(MAX_OCSP_REQUEST_BYTES + 1);
        if (body.length > MAX_OCSP_REQUEST_BYTES) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).build();
        }
        return ResponseEntity.ok().contentType(OCSP_RESPONSE).body(ca.ocsp(body));
    }

    /** RFC 6960 A.1 GET: the DER request, base64, URL-encoded, appended to the responder URL. */
    @GetMapping("/ocsp/**")
    ResponseEntity<byte[]> ocspGet(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String encoded = uri.substring(uri.indexOf("/pki/ocsp/") + "/pki/ocsp/".length());
        if (encoded.length() > 3 * MAX_OCSP_REQUEST_BYTES) { // base64 is 4/3, URL encoding at most 3 per character
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).build();
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(URLDecoder.decode(encoded, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            der = new byte[0];
        }
        if (der.length > MAX_OCSP_REQUEST_BYTES) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).build();
        }
        return ResponseEntity.ok().contentType(OCSP_RESPONSE).body(ca.ocsp(der));
    }
}
