package io.certloop.custody;

import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires custody: master key from {@code CERTLOOP_MASTER_KEY} or the key file, then the store. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CustodyConfiguration.CustodyProperties.class)
class CustodyConfiguration {

    /** {@code certloop.custody.*}: where the master key file lives when no environment key is set. */
    @ConfigurationProperties("certloop.custody")
    record CustodyProperties(
            @DefaultValue("./data/master.key") Path masterKeyFile) {}

    @Bean
    KeyCustody keyCustody(
            JdbcTemplate jdbc, Environment environment, CustodyProperties properties, ObjectProvider<Clock> clock) {
        MasterKey masterKey =
                MasterKeyLoader.load(environment.getProperty(MasterKeyLoader.ENV_VARIABLE), properties.masterKeyFile());
        return new KeyCustody(jdbc, masterKey, clock.getIfAvailable(Clock::systemUTC));
    }
}
