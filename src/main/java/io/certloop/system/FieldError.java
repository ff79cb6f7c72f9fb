package io.certloop.system;

/** One thing wrong with a request, named by its JSON path (for example {@code serviceOwner.email}). */
public record FieldError(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
