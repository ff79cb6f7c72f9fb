package io.certloop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Module boundaries the house style promises: the engine stays swappable, capabilities stay independent. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.certloop");

    @Test
    void onlyTheRunbookPackageTouchesTheProcessEngine() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.certloop.runbook..", "io.certloop.agent..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.camunda..")
                .check(MAIN);
    }

    /**
     * The agent mode is a Camunda external task client on a service's host: it speaks the engine's REST protocol
     * through Camunda's client library and nothing else of Camunda (no engine classes; swapping the engine means
     * swapping that client too, in this one package).
     */
    @Test
    void theAgentUsesOnlyTheExternalTaskClientOfCamunda() {
        noClasses()
                .that()
                .resideInAPackage("io.certloop.agent..")
                .should()
                .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("org.camunda..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("org.camunda.bpm.client.."))))
                .check(MAIN);
    }

    @Test
    void onlyTheAcmeAdapterTouchesAcme4j() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.certloop.issuance.acme..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.shredzone.acme4j..")
                .allowEmptyShould(true)
                .check(MAIN);
    }

    @Test
    void capabilitiesDependOnNoOtherFeature() {
        for (String capability : new String[] {"probe", "issuance", "custody", "deployment"}) {
            noClasses()
                    .that()
                    .resideInAPackage("io.certloop." + capability + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "io.certloop.inventory..",
                            "io.certloop.incident..",
                            "io.certloop.intake..",
                            "io.certloop.runbook..",
                            "io.certloop.notify..",
                            "io.certloop.detection..",
                            "io.certloop.remediation..")
                    .allowEmptyShould(true)
                    .check(MAIN);
        }
    }

    @Test
    void incidentsKnowNothingOfTheAuditThatReadsThem() {
        // audit reads incidents and seals their timelines through incident's TimelineSeal port: no cycle
        noClasses()
                .that()
                .resideInAPackage("io.certloop.incident..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.certloop.audit..")
                .check(MAIN);
    }

    @Test
    void configurationIsBoundByConfigurationPropertiesNeverByValue() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.springframework.beans.factory.annotation.Value")
                .check(MAIN);
    }
}
