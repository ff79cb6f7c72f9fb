package io.certloop.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.certloop.deployment.DeploymentResult.Outcome;
import io.certloop.support.NginxServer;
import io.certloop.support.TlsPeek;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The files deployer against Debian's nginx on loopback: what the endpoint presents, read over
 * TLS, is the evidence, not what is on disk.
 */
class FilesDeployerNginxIT {

    private static final DeploymentTestPki OLD_CA = DeploymentTestPki.ca("Old CA");
    private static final DeploymentTestPki NEW_CA = DeploymentTestPki.ca("New CA");
    private static final Duration SETTLE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private Path fullchain;
    private Path key;
    private NginxServer nginx;
    private DeploymentTestPki.Issued old;
    private DeploymentTestPki.Issued fresh;

    @BeforeEach
    void startNginxServingTheOldCertificate() throws IOException {
        assumeTrue(NginxServer.available(), "Debian nginx is not installed");
        old = OLD_CA.issue("svc.test");
        fresh = NEW_CA.issue("svc.test");
        Path live = Files.createDirectories(dir.resolve("live"));
        fullchain = live.resolve("fullchain.pem");
        key = live.resolve("privkey.pem");
        Files.writeString(fullchain, old.leafPem() + old.caPem());
        Files.writeString(key, old.keyPem());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        nginx = NginxServer.builder(dir.resolve("nginx"))
                .site("svc", fullchain, key)
                .start();
        assertThat(presented().leafSha256()).isEqualTo(old.sha256());
    }

    @AfterEach
    void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    /** The deployer as the application wires it, with the reload action configured by name. */
    private void withDeployer(String reloadTimeout, Consumer<Deployer> test) {
        new ApplicationContextRunner()
                .withUserConfiguration(DeploymentConfiguration.class)
                .withPropertyValues(
                        "certloop.deployment.reload-actions.test-nginx=" + nginx.reloadCommand(),
                        "certloop.deployment.reload-actions.test-slow=/bin/sleep 30",
                        "certloop.deployment.reload-timeout=" + reloadTimeout,
                        "certloop.deployment.answer-timeout=5s",
                        "certloop.deployment.state-directory=" + dir.resolve("state"),
                        "certloop.deployment.allowed-directories=" + dir.resolve("live"))
                .run(context -> test.accept(context.getBean(Deployer.class)));
    }

    private DeploymentRequest request(
            String id, DeploymentTestPki.Issued issued, KeyMaterialSource keySource, String reloadAction) {
        return new DeploymentRequest(
                id,
                DeploymentTarget.fullchainAndKey(fullchain, key, reloadAction),
                issued.material(),
                keySource,
                new ServiceAddress(nginx.host(), nginx.port("svc")));
    }

    private TlsPeek.Presented presented() {
        try {
            return TlsPeek.peek(nginx.host(), nginx.port("svc"));
        } catch (IOException e) {
            throw new AssertionError("nginx did not complete a TLS handshake", e);
        }
    }

    private TlsPeek.Presented awaitPresented(String sha256) {
        try {
            return TlsPeek.awaitLeaf(nginx.host(), nginx.port("svc"), sha256, SETTLE);
        } catch (IOException e) {
            throw new AssertionError("nginx did not complete a TLS handshake", e);
        }
    }

    @Test
    void deploying_and_reloading_makes_nginx_present_the_new_certificate() {
        withDeployer("30s", deployer -> {
            DeploymentResult result = deployer.deploy(request("it-deploy", fresh, fresh.keySource(), "test-nginx"));

            assertThat(result.outcome()).as("%s", result.reload()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(result.reload().exitCode()).isZero();
            assertThat(result.serviceCheck().answered()).isTrue();
            TlsPeek.Presented now = awaitPresented(fresh.sha256());
            assertThat(now.leafSha256()).isEqualTo(fresh.sha256());
            assertThat(now.chainLength())
                    .as("leaf and intermediate from the fullchain file")
                    .isEqualTo(2);
            assertKeyFileIsOwnerOnly();
        });
    }

    @Test
    void a_failed_reload_is_reported_and_rollback_keeps_the_old_certificate_served() {
        withDeployer("30s", deployer -> {
            // the new certificate with a key that does not match it: nginx refuses the new config
            DeploymentTestPki.Issued stranger = NEW_CA.issue("stranger.test");
            DeploymentResult failed =
                    deployer.deploy(request("it-mismatch", fresh, stranger.keySource(), "test-nginx"));

            assertThat(failed.outcome()).isEqualTo(Outcome.RELOAD_FAILED);
            assertThat(failed.reload().exitCode()).isNotZero();
            assertThat(failed.reload().output()).contains("key values mismatch");
            assertThat(presented().leafSha256())
                    .as("nginx kept its running config")
                    .isEqualTo(old.sha256());

            DeploymentResult rollback = deployer.rollback("it-mismatch");

            assertThat(rollback.outcome()).as("%s", rollback.reload()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(fileText(fullchain)).isEqualTo(old.leafPem() + old.caPem());
            assertThat(fileText(key)).isEqualTo(old.keyPem());
            assertKeyFileIsOwnerOnly();
            assertThat(awaitPresented(old.sha256()).leafSha256()).isEqualTo(old.sha256());
            // the files on disk agree with what is served: another reload changes nothing
            nginx.reload();
            assertThat(presented().leafSha256()).isEqualTo(old.sha256());
        });
    }

    @Test
    void a_repeated_deployment_is_idempotent_and_rollback_still_restores_the_original() {
        withDeployer("30s", deployer -> {
            DeploymentResult first = deployer.deploy(request("it-repeat", fresh, fresh.keySource(), "test-nginx"));
            DeploymentResult again = deployer.deploy(request("it-repeat", fresh, fresh.keySource(), "test-nginx"));

            assertThat(first.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(again.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(again.files()).noneMatch(DeployedFile::changed);
            assertThat(again.files())
                    .extracting(DeployedFile::sha256)
                    .containsExactlyElementsOf(
                            first.files().stream().map(DeployedFile::sha256).toList());
            assertThat(awaitPresented(fresh.sha256()).leafSha256()).isEqualTo(fresh.sha256());

            assertThat(deployer.rollback("it-repeat").outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(awaitPresented(old.sha256()).leafSha256()).isEqualTo(old.sha256());
        });
    }

    @Test
    void a_reload_that_times_out_is_reported() {
        withDeployer("1s", deployer -> {
            DeploymentResult result = deployer.deploy(request("it-slow", fresh, fresh.keySource(), "test-slow"));

            assertThat(result.outcome()).isEqualTo(Outcome.RELOAD_TIMED_OUT);
            assertThat(result.reload().timedOut()).isTrue();
            assertThat(result.reload().duration()).isLessThan(Duration.ofSeconds(10));
            assertThat(result.serviceCheck()).isNull();
            assertThat(presented().leafSha256())
                    .as("nginx was never told to reload")
                    .isEqualTo(old.sha256());
        });
    }

    @Test
    void a_reload_action_that_is_not_configured_is_refused() {
        withDeployer("30s", deployer -> {
            assertThatThrownBy(
                            () -> deployer.deploy(request("it-unknown", fresh, fresh.keySource(), "/usr/sbin/nginx")))
                    .isInstanceOf(DeploymentException.UnknownReloadAction.class);

            assertThat(fileText(fullchain)).isEqualTo(old.leafPem() + old.caPem());
            assertThat(presented().leafSha256()).isEqualTo(old.sha256());
        });
    }

    private void assertKeyFileIsOwnerOnly() {
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                    .isEqualTo("rw-------");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String fileText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
