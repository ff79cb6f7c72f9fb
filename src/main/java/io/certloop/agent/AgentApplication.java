package io.certloop.agent;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The jar's second mode: with the {@code agent} profile it starts no engine, no database and no web server, only
 * the external task client of {@link AgentConfiguration}. The main class asks {@link #requested} before anything
 * of the server starts.
 */
public final class AgentApplication {

    public static final String PROFILE = "agent";

    private AgentApplication() {}

    /** Whether the {@code agent} profile is asked for, by argument, system property or environment. */
    public static boolean requested(String[] args) {
        Stream<String> fromArgs = Arrays.stream(args)
                .filter(a -> a.startsWith("--spring.profiles.active="))
                .map(a -> a.substring("--spring.profiles.active=".length()));
        return Stream.concat(
                        fromArgs,
                        Stream.of(
                                System.getProperty("spring.profiles.active"), System.getenv("SPRING_PROFILES_ACTIVE")))
                .filter(v -> v != null)
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(v -> v.trim().toLowerCase(Locale.ROOT))
                .anyMatch(PROFILE::equals);
    }

    public static ConfigurableApplicationContext run(String[] args) {
        // no auto-configuration at all: nothing of the server (DataSource, Flyway, engine, web) can start
        return new SpringApplicationBuilder(AgentConfiguration.class)
                .web(WebApplicationType.NONE)
                .profiles(PROFILE)
                // nothing else keeps the JVM up: the client's polling threads are its only work
                .properties("spring.main.keep-alive=true")
                .run(args);
    }
}
