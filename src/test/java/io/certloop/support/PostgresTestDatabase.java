package io.certloop.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The machine's real PostgreSQL, from {@code CERTLOOP_TEST_DB_URL} (default the local {@code test}
 * database). Each test JVM gets a fresh database created next to it, so runs never see each
 * other's rows; if the user may not create databases, the configured one is used as is.
 */
public final class PostgresTestDatabase {

    public static final String BASE_URL = env("CERTLOOP_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = env("CERTLOOP_TEST_DB_USER", "postgres");
    public static final String PASSWORD = env("CERTLOOP_TEST_DB_PASSWORD", "");

    private static final java.time.Duration LEFTOVER_AGE = java.time.Duration.ofHours(2);

    private static String url;

    private PostgresTestDatabase() {}

    /** The JDBC URL of this JVM's fresh database. */
    public static synchronized String url() {
        if (url == null) {
            String name = "certloop_it_" + Long.toHexString(System.currentTimeMillis()) + "_"
                    + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
            try (Connection connection = DriverManager.getConnection(BASE_URL, USER, PASSWORD);
                    Statement statement = connection.createStatement()) {
                dropLeftovers(statement);
                statement.execute("CREATE DATABASE " + name);
                int slash = BASE_URL.lastIndexOf('/');
                int query = BASE_URL.indexOf('?', slash);
                url = BASE_URL.substring(0, slash + 1) + name + (query < 0 ? "" : BASE_URL.substring(query));
            } catch (SQLException e) {
                if (e.getMessage() != null && e.getMessage().contains("permission denied")) {
                    url = BASE_URL;
                } else {
                    throw new IllegalStateException(
                            "PostgreSQL is not reachable at " + BASE_URL + " (bin/test starts it): " + e.getMessage(),
                            e);
                }
            }
        }
        return url;
    }

    /**
     * One more fresh database beside this JVM's, for a server that must not share rows with the others (its data
     * directory, and so the keys that seal its secrets, are its own); dropped with the leftovers of a later run.
     */
    public static String another() {
        String name = "certloop_it_" + Long.toHexString(System.currentTimeMillis()) + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
        try (Connection connection = DriverManager.getConnection(BASE_URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a database at " + BASE_URL + ": " + e.getMessage(), e);
        }
        int slash = BASE_URL.lastIndexOf('/');
        int query = BASE_URL.indexOf('?', slash);
        return BASE_URL.substring(0, slash + 1) + name + (query < 0 ? "" : BASE_URL.substring(query));
    }

    /**
     * Databases of earlier runs: those created more than {@link #LEFTOVER_AGE} ago (the name carries its creation
     * time), so a database another test JVM running beside this one has just created, and whose server is down for a
     * moment (killed and not yet restarted), is never dropped; one still in use is refused by PostgreSQL and kept.
     */
    private static void dropLeftovers(Statement statement) throws SQLException {
        java.util.List<String> names = new java.util.ArrayList<>();
        long before = System.currentTimeMillis() - LEFTOVER_AGE.toMillis();
        try (var rs =
                statement.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'certloop\\_it\\_%'")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (createdAt(name) < before) {
                    names.add(name);
                }
            }
        }
        for (String old : names) {
            try {
                statement.execute("DROP DATABASE IF EXISTS " + old);
            } catch (SQLException inUse) {
                // another test JVM is using it
            }
        }
    }

    /** When a database of ours was created (the hex milliseconds after {@code certloop_it_}); 0 if unreadable. */
    private static long createdAt(String name) {
        String[] parts = name.split("_");
        try {
            return parts.length >= 3 ? Long.parseLong(parts[2], 16) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
