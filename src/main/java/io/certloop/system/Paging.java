package io.certloop.system;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** Turns a list call's {@code limit} and {@code offset} into a {@link Page}, or a 400 naming the parameter. */
@Component
public class Paging {

    private final ApiProperties properties;

    Paging(ApiProperties properties) {
        this.properties = properties;
    }

    /** @param limit null for {@code certloop.api.default-page-limit}; @param offset null for 0 */
    public Page of(Integer limit, Integer offset) {
        return of(limit, offset, properties.defaultPageLimit());
    }

    /** As {@link #of(Integer, Integer)} with a list's own default limit (never above the maximum). */
    public Page of(Integer limit, Integer offset, int defaultLimit) {
        List<FieldError> errors = new ArrayList<>();
        int max = properties.maxPageLimit();
        if (limit != null && (limit < 1 || limit > max)) {
            errors.add(new FieldError(
                    "limit", "must be between 1 and " + max + " (certloop.api.max-page-limit), was " + limit));
        }
        if (offset != null && offset < 0) {
            errors.add(new FieldError("offset", "must be 0 or more, was " + offset));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new Page(limit == null ? Math.min(defaultLimit, max) : limit, offset == null ? 0 : offset);
    }
}
