package io.certloop.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.certloop.system.security.Groups;
import io.certloop.system.security.RequiresGroup;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** One incident's evidence as JSON and as a printable page: auditors, the PKI board and administrators. */
@RestController
@RequiresGroup({Groups.AUDITORS, Groups.PKI_BOARD})
class EvidenceController {

    private final EvidenceService evidence;
    private final ObjectMapper json;

    EvidenceController(EvidenceService evidence, ObjectMapper json) {
        this.evidence = evidence;
        this.json = json;
    }

    @GetMapping(path = "/api/incidents/{id}/evidence", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> evidence(@PathVariable String id) {
        return evidence.evidence(id);
    }

    @GetMapping(path = "/api/incidents/{id}/evidence.html", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> page(@PathVariable String id) {
        String html = EvidencePage.render(id, json.valueToTree(evidence.evidence(id)));
        return ResponseEntity.ok()
                .header(
                        "Content-Disposition",
                        "inline; filename=\"" + id.replaceAll("[^A-Za-z0-9-]", "") + "-evidence.html\"")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .body(html);
    }
}
