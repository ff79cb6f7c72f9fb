package io.certloop.probe;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Ad-hoc probes: "what does this endpoint present right now?" */
@RestController
@RequestMapping("/api/probes")
class ProbeController {

    private final TlsProber prober;

    ProbeController(TlsProber prober) {
        this.prober = prober;
    }

    /** Body of {@code POST /api/probes}. */
    record ProbeApiRequest(
            @NotBlank @Size(max = 253) String host,
            @NotNull @Min(1) @Max(65535) Integer port,
            @Size(max = 253) String sni,
            @Size(max = 100) List<@NotBlank String> expectedNames,
            @Size(max = 32) List<@NotBlank String> addresses,
            @Pattern(regexp = "(?i)[0-9a-f]{64}|([0-9a-f]{2}:){31}[0-9a-f]{2}", message = "must be 64 hex digits")
            String expectedSha256,
            @Min(0) @Max(3) Integer tier) {
    }

    @PostMapping
    ProbeReport probe(@Valid @RequestBody ProbeApiRequest request) {
        return prober.probe(new ProbeRequest(request.host(), request.port(), request.sni(), request.expectedNames(),
                request.addresses(), request.expectedSha256(), request.tier()));
    }
}
