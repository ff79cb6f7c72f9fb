package io.certloop.issuance.acme;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * CertLoop's own HTTP-01 responder (RFC 8555 section 8.3), unauthenticated because the ACME
 * server's validator calls it. Route {@code /.well-known/acme-challenge/} of the endpoint's names
 * to CertLoop for this to work.
 */
@RestController
class AcmeChallengeController {

    private final ChallengeStore challenges;

    AcmeChallengeController(ChallengeStore challenges) {
        this.challenges = challenges;
    }

    @GetMapping("/.well-known/acme-challenge/{token}")
    ResponseEntity<String> answer(@PathVariable String token) {
        return challenges
                .find(token)
                .map(value ->
                        ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(value))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }
}
