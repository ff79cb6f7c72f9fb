package io.certloop.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.support.ApiClient;
import io.certloop.support.PostgresIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Logins cannot be used to lock people out: eleven wrong passwords throttle the address and the user, and once
 * the (capped) wait is over the right password works. The test context shortens the waits to about two seconds
 * (PostgresIntegrationTest); production waits up to a minute, never for good.
 */
class LoginThrottlingIT extends PostgresIntegrationTest {

    @Test
    void elevenWrongPasswordsThenLaterTheRightOneIs200() throws Exception {
        admin.ensureUser("throttle-victim", "the-right-password", "operators");
        ApiClient wrong = ApiClient.as(port, "throttle-victim", "a-wrong-password");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            statuses.add(wrong.get("/api/incidents").status());
        }
        assertThat(statuses)
                .as("refused every time, throttled after the free failures")
                .allMatch(s -> s == 401 || s == 429)
                .contains(429);
        ApiClient right = ApiClient.as(port, "throttle-victim", "the-right-password");
        ApiClient.Response meanwhile = right.get("/api/incidents");
        assertThat(meanwhile.status())
                .as("while the address waits, even the right password is not checked")
                .isEqualTo(429);
        assertThat(meanwhile.body()).contains("retry after");

        Thread.sleep(3_500); // the configured window (production: up to a minute); failures are forgotten after it
        assertThat(right.get("/api/incidents").status()).isEqualTo(200);
        assertThat(admin.get("/api/incidents").status()).isEqualTo(200);
    }
}
