package io.certloop.issuance.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.certloop.issuance.CaUnavailableException;
import io.certloop.issuance.IssuanceRejectedException;
import io.certloop.issuance.IssueRequest;
import io.certloop.support.PebbleServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcmeIssuerTest {

    private static final IssueRequest REQUEST =
            IssueRequest.of("web-1", List.of("svc.example.test"), "standard", "a-1");

    @Test
    void connectionRefusedIsACaOutage() {
        int closedPort = PebbleServer.freePort();
        AcmeFixture fixture = new AcmeFixture("http://127.0.0.1:" + closedPort + "/dir", null, Duration.ofSeconds(5));

        assertThatThrownBy(() -> fixture.issuer.issue(REQUEST))
                .isInstanceOf(CaUnavailableException.class)
                .hasMessageContaining("unreachable")
                .hasMessageContaining("ConnectException");
    }

    @Test
    void http503WithoutProblemDocumentIsACaOutage() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        try {
            AcmeFixture fixture = new AcmeFixture(
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/dir", null, Duration.ofSeconds(5));
            Instant start = Instant.now();
            assertThatThrownBy(() -> fixture.issuer.issue(REQUEST)).isInstanceOf(CaUnavailableException.class);
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void missingDirectoryConfigurationIsReportedAsUnavailable() {
        AcmeFixture fixture = new AcmeFixture(null, null, Duration.ofSeconds(5));
        assertThatThrownBy(() -> fixture.issuer.issue(REQUEST))
                .isInstanceOf(CaUnavailableException.class)
                .hasMessageContaining("certloop.issuance.acme.directory-url");
    }

    @Test
    void namesOutsideTheProfileAreRefusedBeforeContactingTheCa() {
        AcmeFixture fixture = new AcmeFixture("http://127.0.0.1:1/dir", null, Duration.ofSeconds(5));
        assertThatThrownBy(() ->
                        fixture.issuer.issue(IssueRequest.of("web-1", List.of("evil.other.test"), "emergency", "a-2")))
                .isInstanceOf(IssuanceRejectedException.class);
    }
}
