package io.certloop.incident;

/**
 * Severity is policy, not code: the organisation changes its SLAs without a release. The
 * implementation evaluates a decision table; incidents only see this port, so the engine behind
 * it stays swappable.
 */
public interface SeverityPolicy {

    /**
     * @param category    a {@link Taxonomy} category
     * @param subcategory a subcategory of it, or null
     * @param tier        the endpoint's tier, 0 (most critical) to 3
     * @param environment {@code production}, {@code hot-spare} or {@code non-production}
     */
    Severity severityOf(String category, String subcategory, int tier, String environment);
}
