package io.certloop.inventory;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.certloop.system.FieldError;
import io.certloop.system.InvalidRequestException;
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
            throw new InvalidRequestException(List.of(new FieldError(path(e), e.getOriginalMessage())));
        } catch (IOException e) {
            throw new InvalidRequestException("body", "is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    record InventoryDocument(List<EndpointRequest> endpoints) {
    }
}
