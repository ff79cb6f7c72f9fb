package io.certloop;

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
        SpringApplication.run(CertLoopApplication.class, args);
    }
}
