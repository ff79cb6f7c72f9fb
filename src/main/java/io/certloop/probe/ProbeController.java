package io.certloop.probe;

import io.certloop.system.FieldError;
import io.certloop.system.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Ad-hoc probes: "what does this endpoint present right now?" */
@RestController
@RequestMapping("/api/probes")
class ProbeController {

    private static final Pattern SHA256 = Pattern.compile("(?i)[0-9a-f]{64}|([0-9a-f]{2}:){31}[0-9a-f]{2}");
    private static final int MAX_NAME = 253;

    private final TlsProber prober;

    ProbeController(TlsProber prober) {
        this.prober = prober;
    }

    /** Body of {@code POST /api/probes}. */
    record ProbeApiRequest(
            String host,
            Integer port,
            String sni,
            List<String> expectedNames,
            List<String> addresses,
            String expectedSha256,
            Integer tier) {

        /** Every problem with the request at once, each naming its field. */
        ProbeRequest validated() {
            List<FieldError> errors = new ArrayList<>();
            if (host == null || host.isBlank()) {
                errors.add(new FieldError("host", "is required"));
            } else if (host.length() > MAX_NAME) {
                errors.add(new FieldError("host", "is longer than " + MAX_NAME + " characters"));
            }
            if (port == null) {
                errors.add(new FieldError("port", "is required"));
            } else if (port < 1 || port > 65535) {
                errors.add(new FieldError("port", "must be between 1 and 65535"));
            }
            if (sni != null && sni.length() > MAX_NAME) {
                errors.add(new FieldError("sni", "is longer than " + MAX_NAME + " characters"));
            }
            checkList(errors, "expectedNames", expectedNames, 100);
            checkList(errors, "addresses", addresses, 32);
            if (expectedSha256 != null && !SHA256.matcher(expectedSha256).matches()) {
                errors.add(new FieldError("expectedSha256", "must be 64 hex digits"));
            }
            if (tier != null && (tier < 0 || tier > 3)) {
                errors.add(new FieldError("tier", "must be between 0 and 3"));
            }
            if (!errors.isEmpty()) {
                throw new InvalidRequestException(errors);
            }
            return new ProbeRequest(host, port, sni, expectedNames, addresses, expectedSha256, tier);
        }

        private static void checkList(List<FieldError> errors, String field, List<String> values, int max) {
            if (values == null) {
                return;
            }
            if (values.size() > max) {
                errors.add(new FieldError(field, "has more than " + max + " entries"));
            }
            for (int i = 0; i < values.size(); i++) {
                String value = values.get(i);
                if (value == null || value.isBlank()) {
                    errors.add(new FieldError(field + "[" + i + "]", "must not be blank"));
                } else if (value.length() > MAX_NAME) {
                    errors.add(new FieldError(field + "[" + i + "]", "is longer than " + MAX_NAME + " characters"));
                }
            }
        }
    }

    @PostMapping
    ProbeReport probe(@RequestBody ProbeApiRequest request) {
        return prober.probe(request.validated());
    }
}
