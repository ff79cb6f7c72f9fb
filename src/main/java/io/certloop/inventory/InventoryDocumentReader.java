package io.certloop.inventory;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.certloop.system.FieldError;
import io.certloop.system.InvalidRequestException;
import io.certloop.system.JsonPaths;
import java.io.IOException;
import java.util.List;
import org.springframework.stereotype.Component;

/** Reads an inventory document (YAML, which includes JSON): {@code endpoints: [ ... ]}. */
@Component
class InventoryDocumentReader {

    private final ObjectMapper yaml = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    List<EndpointRequest> read(String document) {
        if (document == null || document.isBlank()) {
            throw new InvalidRequestException("body", "is empty; expected a document with a list under 'endpoints'");
        }
        try {
            InventoryDocument parsed = yaml.readValue(document, InventoryDocument.class);
            if (parsed == null || parsed.endpoints() == null) {
                throw new InvalidRequestException("endpoints", "is required: a list of endpoints");
            }
            return parsed.endpoints();
        } catch (JsonMappingException e) {
            throw new InvalidRequestException(List.of(new FieldError(JsonPaths.of(e), e.getOriginalMessage())));
        } catch (IOException e) {
            throw new InvalidRequestException(
                    "body",
                    "is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    record InventoryDocument(List<EndpointRequest> endpoints) {}
}
