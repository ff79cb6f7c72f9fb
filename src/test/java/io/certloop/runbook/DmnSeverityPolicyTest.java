package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.incident.Severity;
import java.time.Duration;
import java.util.stream.Stream;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The severity decision table itself, evaluated by the engine through the policy adapter. */
@Deployment(resources = "processes/incident-severity.dmn")
class DmnSeverityPolicyTest {

    @RegisterExtension
    static ProcessEngineExtension extension =
            ProcessEngineExtension.builder().useProcessEngine(Engine.INSTANCE).build();

    /** Held outside the test class: the extension injects every ProcessEngine field of the test. */
    private static final class Engine {
        static final ProcessEngine INSTANCE = engine();
    }

    /** An in-memory engine built in code: no camunda.cfg.xml on the classpath (see STACK-NOTES). */
    private static ProcessEngine engine() {
        StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
        configuration.setJdbcUrl("jdbc:h2:mem:severity-policy-test;DB_CLOSE_DELAY=1000");
        configuration.setJobExecutorActivate(false);
        configuration.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
        configuration.setProcessEngineName("severity-policy-test");
        return configuration.buildProcessEngine();
    }

    private final DmnSeverityPolicy policy =
            new DmnSeverityPolicy(Engine.INSTANCE.getDecisionService(), Engine.INSTANCE.getIdentityService());

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "a critical production service whose certificate expired is SEV1, paged at once, executives within the hour",
                        "expiry",
                        "expired-production",
                        1,
                        "production",
                        "SEV1",
                        "PT15M",
                        "PT30M",
                        true,
                        "PT1H"),
                Arguments.of(
                        "a tier 0 production expiry is SEV1 as well",
                        "expiry",
                        "expired-production",
                        0,
                        "production",
                        "SEV1",
                        "PT15M",
                        "PT30M",
                        true,
                        "PT1H"),
                Arguments.of(
                        "a tier 2 production expiry follows the normal SLA without paging",
                        "expiry",
                        "expired-production",
                        2,
                        "production",
                        "SEV2",
                        "PT1H",
                        "PT2H",
                        false,
                        null),
                Arguments.of(
                        "an expired hot spare of a critical service is SEV2: redundancy lost, no user impact yet",
                        "expiry",
                        "expired-hot-spare",
                        1,
                        "hot-spare",
                        "SEV2",
                        "PT1H",
                        "PT2H",
                        false,
                        null),
                Arguments.of(
                        "an expired hot spare of a tier 3 service is SEV3",
                        "expiry",
                        "expired-hot-spare",
                        3,
                        "hot-spare",
                        "SEV3",
                        "PT4H",
                        "PT8H",
                        false,
                        null),
                Arguments.of(
                        "an expired certificate outside production is SEV4",
                        "expiry",
                        "expired-non-production",
                        0,
                        "non-production",
                        "SEV4",
                        "P1D",
                        "P1D",
                        false,
                        null),
                Arguments.of(
                        "a certificate about to expire on a critical production service is SEV3, before it becomes an outage",
                        "expiry",
                        "expiring",
                        0,
                        "production",
                        "SEV3",
                        "PT4H",
                        "P1D",
                        false,
                        null),
                Arguments.of(
                        "a certificate about to expire on a tier 3 service is SEV4",
                        "expiry",
                        "expiring",
                        3,
                        "production",
                        "SEV4",
                        "P1D",
                        "P1D",
                        false,
                        null),
                Arguments.of(
                        "a confirmed key compromise on a critical production service is SEV1",
                        "key-compromise",
                        "confirmed",
                        1,
                        "production",
                        "SEV1",
                        "PT15M",
                        "PT30M",
                        true,
                        "PT1H"),
                Arguments.of(
                        "a suspected key compromise outside production still pages the incident commander",
                        "key-compromise",
                        "suspected",
                        3,
                        "non-production",
                        "SEV2",
                        "PT30M",
                        "PT1H",
                        true,
                        "PT4H"),
                Arguments.of(
                        "a renewed but undeployed certificate on a critical production service is SEV2",
                        "renewed-not-deployed",
                        null,
                        1,
                        "production",
                        "SEV2",
                        "PT30M",
                        "PT1H",
                        false,
                        null),
                Arguments.of(
                        "a renewed but undeployed certificate on a tier 2 production service is SEV3",
                        "renewed-not-deployed",
                        null,
                        2,
                        "production",
                        "SEV3",
                        "PT4H",
                        "PT8H",
                        false,
                        null),
                Arguments.of(
                        "a renewed but undeployed certificate outside production is SEV4",
                        "renewed-not-deployed",
                        null,
                        0,
                        "non-production",
                        "SEV4",
                        "P1D",
                        "P1D",
                        false,
                        null),
                Arguments.of(
                        "a trust mismatch on a critical production service pages the incident commander",
                        "trust-mismatch",
                        "intermediate-not-sent",
                        0,
                        "production",
                        "SEV2",
                        "PT30M",
                        "PT1H",
                        true,
                        null),
                Arguments.of(
                        "a CA outage is SEV2 and pages the incident commander whatever the endpoint",
                        "ca-outage",
                        null,
                        3,
                        "non-production",
                        "SEV2",
                        "PT30M",
                        "PT1H",
                        true,
                        null),
                Arguments.of(
                        "a revocation not propagated on a critical production service is SEV2",
                        "revocation-propagation",
                        null,
                        1,
                        "production",
                        "SEV2",
                        "PT30M",
                        "PT1H",
                        false,
                        null),
                Arguments.of(
                        "mis-issuance in production is SEV2",
                        "mis-issuance",
                        "shadow-pki",
                        3,
                        "production",
                        "SEV2",
                        "PT1H",
                        "PT4H",
                        false,
                        null),
                Arguments.of(
                        "an unknown category in production falls to the catch-all row",
                        "something-new",
                        null,
                        1,
                        "production",
                        "SEV3",
                        "PT4H",
                        "P1D",
                        false,
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void severityFollowsThePolicyTable(
            String sentence,
            String category,
            String subcategory,
            int tier,
            String environment,
            String level,
            String sla,
            String cadence,
            boolean page,
            String executives) {
        Severity severity = policy.severityOf(category, subcategory, tier, environment);

        assertThat(severity.level()).isEqualTo(level);
        assertThat(severity.responseSla()).isEqualTo(Duration.parse(sla));
        assertThat(severity.updateCadence()).isEqualTo(Duration.parse(cadence));
        assertThat(severity.pageIncidentCommander()).isEqualTo(page);
        assertThat(severity.notifyExecutivesWithin()).isEqualTo(executives == null ? null : Duration.parse(executives));
    }

    @Test
    void theDecisionKeepsItsHistoryForAWhile() {
        var definition = Engine.INSTANCE
                .getRepositoryService()
                .createDecisionDefinitionQuery()
                .decisionDefinitionKey(DmnSeverityPolicy.DECISION_KEY)
                .singleResult();
        assertThat(definition.getHistoryTimeToLive()).isPositive();
    }
}
