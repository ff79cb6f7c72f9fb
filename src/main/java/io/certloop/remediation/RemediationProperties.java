package io.certloop.remediation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param verifyWithin how long {@code POST /api/inventory/endpoints/{id}/replace} keeps probing for the
 *                     issued certificate after the reload before it rolls back
 */
@ConfigurationProperties("certloop.remediation")
record RemediationProperties(@DefaultValue("PT10S") Duration verifyWithin) {}
