package io.certloop.runbook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The first administrator, created once at first start.
 *
 * @param username the administrator's user id
 * @param password its password (from {@code CERTLOOP_ADMIN_PASSWORD}); empty = a random one printed once
 */
@ConfigurationProperties("certloop.admin")
record AdminProperties(@DefaultValue("admin") String username, String password) {}
