package io.certloop.issuance.ca;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * OCSP GET requests (RFC 6960 A.1) carry URL-encoded base64, so "/" arrives as "%2F", which Tomcat
 * rejects with 400 by default. Passing it through undecoded keeps path segments intact (no path
 * confusion) while letting the OCSP controller decode the request itself.
 */
@Configuration(proxyBeanMethods = false)
class OcspGetSupport {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> ocspEncodedSlashes() {
        return factory ->
                factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
    }
}
