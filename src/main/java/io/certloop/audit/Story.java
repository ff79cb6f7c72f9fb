package io.certloop.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.incident.TimelineEntry;
import io.certloop.incident.TimelineTypes;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One timeline entry told as a sentence for people, with the few details that matter: what was seen (opening,
 * findings), what was decided and by whom (task completions with their form values), what was deployed, and what
 * the live endpoint presented. Plain text: the page escapes it.
 */
final class Story {

    private static final int VALUE_LIMIT = 300;
    private static final int DETAILS_LIMIT = 12;

    /** The sentence and its details (name to value, in order). */
    record Line(String sentence, Map<String, String> details) {}

    private Story() {}

    static Line of(TimelineEntry entry) {
        JsonNode d = entry.detail();
        Map<String, String> details = new LinkedHashMap<>();
        String sentence = switch (entry.type()) {
            case TimelineTypes.OPENED -> {
                put(details, "source", d.path("source"));
                put(details, "what was seen", d.path("evidence"));
                yield "opened the incident: " + text(d.path("reason"));
            }
            case TimelineTypes.REPEATED -> {
                put(details, "what was seen", d.path("evidence"));
                yield "reported the same problem again" + suffix(d.path("reason"));
            }
            case TimelineTypes.PROCESS_ATTACHED -> "started the runbook";
            case TimelineTypes.TASK_COMPLETED -> {
                d.path("form").fields().forEachRemaining(f -> put(details, f.getKey(), f.getValue()));
                yield "decided: completed the task \"" + text(d.path("name"), d.path("task")) + "\"";
            }
            case TimelineTypes.CERTIFICATE_ISSUED -> {
                put(details, "serial", d.path("serial"));
                put(details, "SHA-256", d.path("sha256"));
                put(details, "not after", d.path("notAfter"));
                yield "had a new certificate issued";
            }
            case TimelineTypes.CERTIFICATE_DEPLOYED -> {
                put(details, "outcome", d.path("outcome"));
                put(details, "files", d.path("files"));
                put(details, "reload", d.path("reloadAction"));
                put(details, "reload exit code", d.path("reloadExitCode"));
                yield "deployed the certificate (attempt " + text(d.path("attempt")) + ")";
            }
            case TimelineTypes.DEPLOYMENT_VERIFIED, TimelineTypes.INVESTIGATION_VERIFIED -> {
                put(details, "presented SHA-256", d.path("presentedSha256"));
                put(details, "expected SHA-256", d.path("expectedSha256"));
                put(details, "chain complete", d.path("chainComplete"));
                put(details, "hostname matches", d.path("hostnameMatches"));
                put(details, "failures", d.path("failures"));
                yield "probed the live endpoint: "
                        + (d.path("passed").asBoolean(false)
                                ? "it presents the expected certificate"
                                : "it does NOT present the expected certificate");
            }
            case TimelineTypes.DEPLOYMENT_ROLLED_BACK -> "rolled the deployment back";
            case TimelineTypes.RESOLVED ->
                "resolved the incident" + suffix(d.has("reason") ? d.path("reason") : d.path("summary"));
            case TimelineTypes.CLOSED ->
                "closed the incident" + suffix(d.has("reason") ? d.path("reason") : d.path("summary"));
            case TimelineTypes.POST_INCIDENT_REVIEW -> {
                d.fields().forEachRemaining(f -> put(details, f.getKey(), f.getValue()));
                yield "recorded the post-incident review";
            }
            default -> {
                d.fields().forEachRemaining(f -> put(details, f.getKey(), f.getValue()));
                yield humanize(entry.type());
            }
        };
        return new Line(sentence, details);
    }

    private static void put(Map<String, String> details, String name, JsonNode value) {
        if (details.size() >= DETAILS_LIMIT || value == null || value.isMissingNode() || value.isNull()) {
            return;
        }
        String text = value.isValueNode() ? value.asText() : value.toString();
        if (!text.isEmpty() && !text.equals("{}") && !text.equals("[]")) {
            details.put(name, abbreviate(text));
        }
    }

    private static String text(JsonNode... candidates) {
        for (JsonNode node : candidates) {
            if (node != null && !node.isMissingNode() && !node.isNull()) {
                return abbreviate(node.isValueNode() ? node.asText() : node.toString());
            }
        }
        return "";
    }

    private static String suffix(JsonNode reason) {
        String text = text(reason);
        return text.isEmpty() ? "" : ": " + text;
    }

    private static String humanize(String type) {
        return type.replace('-', ' ').toLowerCase(Locale.ROOT);
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > VALUE_LIMIT ? text.substring(0, VALUE_LIMIT) + "…" : text;
    }
}
