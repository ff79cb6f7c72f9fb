package io.certloop.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoredDetailTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aDetailThatFitsIsStoredWhole() {
        String stored = StoredDetail.write(json, Map.of("reloadOutput", "reloaded"), "detail");

        assertThat(StoredDetail.read(json, stored, "detail")
                        .path("reloadOutput")
                        .asText())
                .isEqualTo("reloaded");
    }

    /**
     * A reload's whole output (16 KiB) of characters JSON escapes: cut once, the text is escaped again inside the
     * wrapper, so a cut to a fixed length alone would outgrow the column.
     */
    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\"", "\\", "\n", "é", "\uD83D\uDD12"})
    void anOverLongDetailIsCutToFitTheColumnWhateverItsCharacters(String character) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reloadAction", "nginx");
        detail.put("reloadOutput", character.repeat(16_384));

        String stored = StoredDetail.write(json, detail, "timeline detail");

        assertThat(stored.length()).isLessThanOrEqualTo(StoredDetail.LIMIT);
        JsonNode read = StoredDetail.read(json, stored, "timeline detail");
        assertThat(read.path("truncated").asBoolean()).isTrue();
        assertThat(read.path("text").asText()).startsWith("{\"reloadAction\":\"nginx\",\"reloadOutput\":\"");
        assertThat(read.path("text").asText().length()).isGreaterThan(StoredDetail.LIMIT / 3);
    }
}
