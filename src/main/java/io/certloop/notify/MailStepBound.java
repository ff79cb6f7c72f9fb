package io.certloop.notify;

import io.certloop.system.StepBound;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.mail.MailProperties;
import org.springframework.stereotype.Component;

/**
 * A notification step sends mail bounded by the SMTP connection, read and write timeouts
 * ({@code spring.mail.properties.mail.smtp.*}, milliseconds). Zero without a mail server (the outbox only).
 */
@Component
class MailStepBound implements StepBound {

    private static final String[] TIMEOUTS = {
        "mail.smtp.connectiontimeout", "mail.smtp.timeout", "mail.smtp.writetimeout"
    };

    private final ObjectProvider<MailProperties> mail;

    MailStepBound(ObjectProvider<MailProperties> mail) {
        this.mail = mail;
    }

    @Override
    public String step() {
        return "mail (spring.mail.properties.mail.smtp connection + read + write timeouts)";
    }

    @Override
    public Duration longest() {
        MailProperties properties = mail.getIfAvailable();
        if (properties == null
                || properties.getHost() == null
                || properties.getHost().isBlank()) {
            return Duration.ZERO;
        }
        return sum(properties.getProperties());
    }

    static Duration sum(Map<String, String> properties) {
        long millis = 0;
        for (String key : TIMEOUTS) {
            String value = properties.get(key);
            if (value != null && !value.isBlank()) {
                millis += Long.parseLong(value.strip());
            }
        }
        return Duration.ofMillis(millis);
    }
}
