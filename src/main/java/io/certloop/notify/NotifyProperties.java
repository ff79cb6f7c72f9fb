package io.certloop.notify;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param fallbackRecipients who hears about an incident when the inventory knows no owner
 * @param from               the sender address of CertLoop's mail
 */
@ConfigurationProperties("certloop.notify")
record NotifyProperties(List<String> fallbackRecipients, @DefaultValue("certloop@localhost") String from) {

    NotifyProperties {
        fallbackRecipients = fallbackRecipients == null ? List.of()
                : fallbackRecipients.stream().filter(r -> r != null && !r.isBlank()).map(String::strip).toList();
    }
}
