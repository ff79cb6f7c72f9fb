package io.certloop.system;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * The JSON detail of an append-only record (incident timeline, exception history), as one column: what
 * does not fit is kept cut and marked {@code truncated}, so an over-long detail never fails a write.
 */
public final class StoredDetail {

    /** Longest detail text kept whole. */
    public static final int LIMIT = 16000;

    private StoredDetail() {}

    /** @param what names the record in the error, e.g. {@code "timeline detail"} */
    public static String write(ObjectMapper json, Object detail, String what) {
        try {
            String text = json.writeValueAsString(detail == null ? Map.of() : detail);
            if (text.length() <= LIMIT) {
                return text;
            }
            // the cut JSON is escaped once more inside "text" (quotes and backslashes double): cut until it fits
            int keep = LIMIT - 200;
            String wrapped;
            do {
                wrapped = json.writeValueAsString(Map.of("truncated", true, "text", Text.cut(text, keep)));
                // escaping at most doubles the cut text: shrink in proportion, with a margin so each round gains
                keep = (int) ((long) keep * (LIMIT - 64) / wrapped.length());
            } while (wrapped.length() > LIMIT);
            return wrapped;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not serializable as JSON", e);
        }
    }

    public static JsonNode read(ObjectMapper json, String text, String what) {
        try {
            return json.readTree(text == null ? "{}" : text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt " + what + ": " + e.getOriginalMessage(), e);
        }
    }
}
