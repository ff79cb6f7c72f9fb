package io.certloop.intake;

import io.certloop.incident.Taxonomy;
import java.util.Optional;

/**
 * A category with an optional subcategory, written {@code category} or {@code category/subcategory}
 * in configuration ({@code SSLCertExpiringSoon=expiry/expiring}).
 */
record CategoryRef(String category, String subcategory) {

    /** Empty when the text names no taxonomy category or a subcategory the category does not have. */
    static Optional<CategoryRef> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String[] parts = text.strip().split("/", 2);
        String category = parts[0].strip();
        String subcategory = parts.length > 1 && !parts[1].isBlank() ? parts[1].strip() : null;
        if (!Taxonomy.isCategory(category)
                || (subcategory != null && !Taxonomy.subcategoriesOf(category).contains(subcategory))) {
            return Optional.empty();
        }
        return Optional.of(new CategoryRef(category, subcategory));
    }
}
