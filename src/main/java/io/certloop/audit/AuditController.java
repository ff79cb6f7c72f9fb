package io.certloop.audit;

import io.certloop.system.security.Groups;
import io.certloop.system.security.RequiresGroup;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Audit API: auditors (and administrators) only. */
@RestController
@RequestMapping("/api/audit")
@RequiresGroup(Groups.AUDITORS)
class AuditController {

    private final ChainVerifier verifier;
    private final IncidentExport export;

    AuditController(ChainVerifier verifier, IncidentExport export) {
        this.verifier = verifier;
        this.export = export;
    }

    /** Checks every hash chain and its authenticated head. */
    @GetMapping("/verify")
    Verification verify() {
        return verifier.verifyAll();
    }

    /**
     * Every incident opened in {@code [from, to)}, one row each, as CSV or JSON Lines (see {@link IncidentExport}),
     * streamed from a database cursor straight to the response.
     */
    @GetMapping("/incidents")
    void incidents(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String format,
            HttpServletResponse response)
            throws IOException {
        IncidentExport.Window window = IncidentExport.window(from, to, format);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(window.format().mediaType);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader(
                "Content-Disposition",
                "attachment; filename=\"incidents-" + window.from().toString().replace(':', '-') + "-"
                        + window.to().toString().replace(':', '-') + "." + window.format().extension + "\"");
        response.setHeader("Cache-Control", "no-store");
        export.write(window, response.getOutputStream());
    }
}
