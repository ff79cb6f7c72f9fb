package io.certloop.audit;

import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param retention          how long CertLoop keeps an incident's audit trail (timeline, evidence, notifications)
 *                           after it closed, and a policy exception after it ended, whatever Camunda's history
 *                           cleanup removes (ISO-8601 period, default P7Y)
 * @param retentionSchedule  when the retention job deletes what is older (a Spring cron expression, default daily
 *                           at 03:40)
 */
@ConfigurationProperties("certloop.audit")
public record AuditProperties(
        @DefaultValue("P7Y") Period retention,
        @DefaultValue("0 40 3 * * *") String retentionSchedule) {}
