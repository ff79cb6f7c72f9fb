package io.certloop.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The evidence document as one self-contained printable HTML page: inline CSS, no scripts, no
 * external assets, every value escaped. An auditor can save it and attach it to a ticket.
 */
final class EvidencePage {

    private static final String STYLE = """
            body{font-family:sans-serif;font-size:12px;margin:1.5em;color:#111}
            h1{font-size:20px}h2{font-size:15px;border-bottom:1px solid #999;margin-top:1.5em;page-break-after:avoid}
            table{border-collapse:collapse;margin:.3em 0;width:100%}td,th{border:1px solid #bbb;padding:2px 4px;
            vertical-align:top;text-align:left;word-break:break-all}th{background:#eee;width:14em}
            .ok{background:#d9f2d9;padding:.5em;border:1px solid #393}.bad{background:#f9d6d6;padding:.5em;border:1px solid #c33}
            @media print{body{margin:0}a{color:#000}}""";

    private EvidencePage() {}

    static String render(String incidentId, JsonNode document) {
        StringBuilder html = new StringBuilder(16384);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Evidence ")
                .append(esc(incidentId))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body>");
        html.append("<h1>Incident evidence ").append(esc(incidentId)).append("</h1>");
        JsonNode verification = document.path("verification");
        boolean valid = verification.path("valid").asBoolean(false);
        html.append("<p class=\"")
                .append(valid ? "ok" : "bad")
                .append("\">Timeline hash chain: ")
                .append(
                        valid
                                ? "verified (" + verification.path("checked").asLong() + " entries, authenticated head)"
                                : "DOES NOT VERIFY")
                .append(". Generated at ")
                .append(esc(document.path("generatedAt").asText()))
                .append(".</p>");
        Iterator<Map.Entry<String, JsonNode>> sections = document.fields();
        while (sections.hasNext()) {
            Map.Entry<String, JsonNode> section = sections.next();
            if (section.getKey().equals("generatedAt")) {
                continue;
            }
            html.append("<h2 id=\"")
                    .append(esc(section.getKey()))
                    .append("\">")
                    .append(esc(title(section.getKey())))
                    .append("</h2>");
            value(html, section.getValue());
        }
        html.append("</body></html>");
        return html.toString();
    }

    private static void value(StringBuilder html, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            html.append("<em>none</em>");
        } else if (node.isObject()) {
            if (node.isEmpty()) {
                html.append("<em>none</em>");
                return;
            }
            html.append("<table>");
            node.fields().forEachRemaining(field -> {
                html.append("<tr><th>").append(esc(field.getKey())).append("</th><td>");
                value(html, field.getValue());
                html.append("</td></tr>");
            });
            html.append("</table>");
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                html.append("<em>none</em>");
                return;
            }
            html.append("<ol>");
            node.forEach(item -> {
                html.append("<li>");
                value(html, item);
                html.append("</li>");
            });
            html.append("</ol>");
        } else {
            html.append(esc(node.asText()));
        }
    }

    private static String title(String key) {
        String spaced = key.replaceAll("([A-Z])", " $1").toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
