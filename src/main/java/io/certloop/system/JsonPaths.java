package io.certloop.system;

import com.fasterxml.jackson.databind.JsonMappingException;

/** Names the field a JSON or YAML mapping error is about, the way error messages name fields. */
public final class JsonPaths {

    private JsonPaths() {}

    /** The path of the error, as {@code endpoints[2].serviceOwner.email}; {@code body} for the document itself. */
    public static String of(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }
}
