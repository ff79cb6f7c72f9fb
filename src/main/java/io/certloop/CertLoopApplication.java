package io.certloop;

import io.certloop.agent.AgentApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * CertLoop closes the certificate loop: detect, alert, remediate, verify. Success is what the live
 * endpoint presents, never what a CA issued.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CertLoopApplication {

    public static void main(String[] args) {
        if (AgentApplication.requested(args)) {
            AgentApplication.run(args); // the same jar on a service's host: an external task client, nothing else
            return;
        }
        SpringApplication.run(CertLoopApplication.class, args);
    }
}
