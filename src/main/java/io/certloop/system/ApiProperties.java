package io.certloop.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Bounds on the work one {@code /api} request may ask for.
 *
 * @param maxBodySize      the largest request body (JSON, an Alertmanager notification, a YAML inventory); a larger
 *                         one is refused with 413 before anything reads it
 * @param defaultPageLimit how many items a list answers when the caller gives no {@code limit}
 * @param maxPageLimit     the largest {@code limit} a caller may ask a list for
 */
@ConfigurationProperties("certloop.api")
public record ApiProperties(
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("100") int defaultPageLimit,
        @DefaultValue("1000") int maxPageLimit) {

    public ApiProperties {
        if (maxBodySize == null || maxBodySize.toBytes() < 1024) {
            throw new IllegalArgumentException("certloop.api.max-body-size must be at least 1KB");
        }
        if (defaultPageLimit < 1 || maxPageLimit < defaultPageLimit) {
            throw new IllegalArgumentException("certloop.api: 1 <= default-page-limit <= max-page-limit, was "
                    + defaultPageLimit + " and " + maxPageLimit);
        }
    }

    /** The defaults (tests). */
    public static ApiProperties defaults() {
        return new ApiProperties(DataSize.ofMegabytes(1), 100, 1000);
    }
}
