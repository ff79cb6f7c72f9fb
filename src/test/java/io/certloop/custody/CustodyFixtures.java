package io.certloop.custody;

import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.jdbc.core.JdbcTemplate;

/** Builds a {@link KeyCustody} with a fresh random master key, for tests of other packages. */
public final class CustodyFixtures {

    private CustodyFixtures() {}

    public static KeyCustody custody(JdbcTemplate jdbc, Clock clock) {
        byte[] key = new byte[MasterKey.LENGTH];
        new SecureRandom().nextBytes(key);
        return new KeyCustody(jdbc, new MasterKey(key, "test"), clock);
    }
}
