package io.certloop.intake;

import io.certloop.incident.Taxonomy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How alerts are categorised when they carry no {@code certloop_category} label: by alert name.
 * The usual blackbox_exporter / ssl_exporter expiry alerts are mapped by default; configuration
 * adds to them or overrides them ({@code certloop.intake.alertname-categories.MyAlert=trust-mismatch}).
 * Names are matched case-insensitively.
 *
 * @param alertnameCategories alert name → {@code category} or {@code category/subcategory}
 * @param maxAlerts           the most alerts one Alertmanager notification may carry; a larger one is refused (400)
 *                            before anything is written (set {@code max_alerts} in Alertmanager's webhook receiver)
 * @param reopenGrace         a probe finding that comes back within this time after its incident was resolved is
 *                            recorded on that incident instead of opening a new one
 */
@ConfigurationProperties("certloop.intake")
record IntakeProperties(
        Map<String, String> alertnameCategories,
        @DefaultValue("PT10M") Duration reopenGrace,
        @DefaultValue("500") int maxAlerts) {

    static final Map<String, String> DEFAULT_ALERTNAME_CATEGORIES = Map.of(
            "SSLCertExpiringSoon", "expiry/expiring",
            "SslCertificateWillExpireSoon", "expiry/expiring",
            "BlackboxSslCertificateWillExpireSoon", "expiry/expiring",
            "SSLCertExpired", "expiry",
            "BlackboxSslCertificateExpired", "expiry",
            "SslCertificateHasExpired", "expiry");

    /** Alert name mappings only, the default reopen grace (tests and examples). */
    IntakeProperties(Map<String, String> alertnameCategories) {
        this(alertnameCategories, null, 500);
    }

    /** Alert name mappings and reopen grace, the default alert count (tests). */
    IntakeProperties(Map<String, String> alertnameCategories, Duration reopenGrace) {
        this(alertnameCategories, reopenGrace, 500);
    }

    @ConstructorBinding
    IntakeProperties {
        reopenGrace = reopenGrace == null ? Duration.ofMinutes(10) : reopenGrace;
        if (maxAlerts < 1) {
            throw new IllegalArgumentException("certloop.intake.max-alerts must be at least 1, was " + maxAlerts);
        }
        Map<String, String> merged = new HashMap<>();
        DEFAULT_ALERTNAME_CATEGORIES.forEach((name, category) -> merged.put(name.toLowerCase(Locale.ROOT), category));
        if (alertnameCategories != null) {
            alertnameCategories.forEach((name, category) -> {
                if (CategoryRef.parse(category).isEmpty()) {
                    throw new IllegalArgumentException("certloop.intake.alertname-categories." + name + "=" + category
                            + " names no taxonomy category; allowed: " + List.copyOf(Taxonomy.categories())
                            + ", optionally followed by /subcategory");
                }
                merged.put(name.toLowerCase(Locale.ROOT), category);
            });
        }
        alertnameCategories = Map.copyOf(merged);
    }

    Optional<CategoryRef> categoryOf(String alertname) {
        return alertname == null
                ? Optional.empty()
                : CategoryRef.parse(alertnameCategories.get(alertname.toLowerCase(Locale.ROOT)));
    }
}
