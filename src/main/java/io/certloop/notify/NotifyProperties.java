package io.certloop.notify;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param fallbackRecipients who hears about an incident when the inventory knows no owner
 * @param from               the sender address of CertLoop's mail
 * @param executives         who is briefed when the severity policy says executives must hear of an
 *                           incident (the fallback recipients when empty)
 */
@ConfigurationProperties("certloop.notify")
record NotifyProperties(
        List<String> fallbackRecipients,
        @DefaultValue("certloop@localhost") String from,
        List<String> executives) {

    NotifyProperties {
        fallbackRecipients = addresses(fallbackRecipients);
        executives = addresses(executives);
    }

    private static List<String> addresses(List<String> configured) {
        return configured == null
                ? List.of()
                : configured.stream()
                        .filter(r -> r != null && !r.isBlank())
                        .map(String::strip)
                        .toList();
    }
}
