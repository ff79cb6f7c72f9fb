package io.certloop.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.certloop.deployment.DeployedFile.Role;
import io.certloop.deployment.DeploymentResult.Operation;
import io.certloop.deployment.DeploymentResult.Outcome;
import io.certloop.support.TestFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesDeployerTest {

    private static final DeploymentTestPki OLD_PKI = DeploymentTestPki.ca("Old Test CA");
    private static final DeploymentTestPki PKI = DeploymentTestPki.ca("Deployment Test CA");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path state;
    private Path live;
    private FilesDeployer deployer;
    private DeploymentTestPki.Issued old;
    private DeploymentTestPki.Issued fresh;

    @BeforeEach
    void setUp() throws IOException {
        state = dir.resolve("state");
        live = Files.createDirectories(dir.resolve("live"));
        deployer = deployer(Duration.ofSeconds(5), Duration.ofMillis(300));
        old = OLD_PKI.issue("old.test"); // another CA, so the chain file changes too
        fresh = PKI.issue("new.test");
    }

    private FilesDeployer deployer(Duration reloadTimeout, Duration answerTimeout) {
        ReloadActions actions = new ReloadActions(
                Map.of("ok", "/bin/true", "fail", "/bin/false", "slow", "/bin/sleep 30"),
                reloadTimeout,
                4096,
                "/usr/bin:/bin",
                CLOCK);
        return new FilesDeployer(
                actions, new ManifestStore(state), new ServiceAnswerWaiter(answerTimeout), CLOCK, paths());
    }

    /** Deployments may write anywhere in the test's directory but in the deployment state. */
    private DeploymentPaths paths() {
        return new DeploymentPaths(List.of(dir), List.of(state), List.of());
    }

    private DeploymentTarget certbotLayout(String reloadAction) {
        return new DeploymentTarget(
                live.resolve("cert.pem"),
                live.resolve("chain.pem"),
                live.resolve("fullchain.pem"),
                live.resolve("privkey.pem"),
                reloadAction);
    }

    private static DeploymentRequest request(String id, DeploymentTarget target, DeploymentTestPki.Issued issued) {
        return new DeploymentRequest(id, target, issued.material(), issued.keySource(), null);
    }

    /** Puts the "old" certificate in place as a service would have it before CertLoop arrives. */
    private void installOld() throws IOException {
        Files.writeString(live.resolve("cert.pem"), old.leafPem());
        Files.writeString(live.resolve("chain.pem"), old.caPem());
        Files.writeString(live.resolve("fullchain.pem"), old.leafPem() + old.caPem());
        Files.writeString(live.resolve("privkey.pem"), old.keyPem());
        Files.setPosixFilePermissions(live.resolve("privkey.pem"), PosixFilePermissions.fromString("rw-------"));
    }

    private String read(String name) throws IOException {
        return Files.readString(live.resolve(name));
    }

    @Test
    void deploys_many_together_with_one_run_of_their_reload_action_and_refuses_a_bad_one_alone() throws Exception {
        Path runs = dir.resolve("runs.log");
        Path counting = dir.resolve("count-reload.sh");
        Files.writeString(counting, "#!/bin/sh\necho run >> " + runs + "\n");
        Files.setPosixFilePermissions(counting, PosixFilePermissions.fromString("rwx------"));
        ReloadActions actions = new ReloadActions(
                Map.of("count", counting.toString()), Duration.ofSeconds(5), 4096, "/usr/bin:/bin", CLOCK);
        FilesDeployer together = new FilesDeployer(
                actions, new ManifestStore(state), new ServiceAnswerWaiter(Duration.ofMillis(300)), CLOCK, paths());
        List<DeploymentRequest> requests = new java.util.ArrayList<>();
        for (String site : List.of("a", "b", "c")) {
            Path files = Files.createDirectories(dir.resolve("site-" + site));
            requests.add(request(
                    "wave-" + site,
                    new DeploymentTarget(
                            null, null, files.resolve("fullchain.pem"), files.resolve("privkey.pem"), "count"),
                    PKI.issue(site + ".test")));
        }
        requests.add(request(
                "wave-bad",
                new DeploymentTarget(null, null, Path.of("relative.pem"), Path.of("relative.key"), "count"),
                fresh));

        List<Deployer.Deployed> deployed = together.deployTogether(requests, Runnable::run);

        assertThat(deployed).hasSize(4);
        assertThat(deployed.subList(0, 3))
                .allSatisfy(d -> assertThat(d.result().outcome()).isEqualTo(Outcome.SUCCEEDED));
        assertThat(Files.readString(dir.resolve("site-b/fullchain.pem")))
                .startsWith(requests.get(1).certificate().leafPem().strip());
        assertThat(deployed.get(3).refused()).isInstanceOf(DeploymentException.InvalidRequest.class);
        assertThat(Files.readAllLines(runs)).as("one reload served the three").hasSize(1);
    }

    @Test
    void writes_the_certbot_layout_with_a_private_key_file_only_the_owner_can_read() throws Exception {
        installOld();

        DeploymentResult result = deployer.deploy(request("dep-1", certbotLayout("ok"), fresh));

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.operation()).isEqualTo(Operation.DEPLOY);
        assertThat(read("cert.pem")).isEqualTo(fresh.leafPem());
        assertThat(read("chain.pem")).isEqualTo(fresh.caPem());
        assertThat(read("fullchain.pem")).isEqualTo(fresh.leafPem() + fresh.caPem());
        assertThat(read("privkey.pem")).isEqualTo(fresh.keyPem());
        assertThat(Files.getPosixFilePermissions(live.resolve("privkey.pem")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(live.resolve("fullchain.pem")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.getPosixFilePermissions(live.resolve("privkey.pem" + AtomicFiles.PREVIOUS_SUFFIX)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(TestFiles.names(live))
                .as("no temporary files left")
                .containsExactlyInAnyOrder(
                        "cert.pem",
                        "chain.pem",
                        "fullchain.pem",
                        "privkey.pem",
                        "cert.pem.certloop-prev",
                        "chain.pem.certloop-prev",
                        "fullchain.pem.certloop-prev",
                        "privkey.pem.certloop-prev");
        assertThat(result.files())
                .extracting(DeployedFile::role)
                .containsExactly(Role.CERTIFICATE, Role.CHAIN, Role.FULLCHAIN, Role.KEY);
        assertThat(result.files()).allMatch(DeployedFile::changed);
        for (DeployedFile file : result.files()) {
            if (file.role() == Role.KEY) {
                assertThat(file.sha256())
                        .as("no digest of the key is published")
                        .isNull();
            } else {
                assertThat(file.sha256()).isEqualTo(DeploymentTestPki.sha256(Files.readAllBytes(file.path())));
            }
        }
        assertThat(result.reload().succeeded()).isTrue();
        assertThat(result.startedAt()).isEqualTo(CLOCK.instant());
    }

    @Test
    void keeps_the_private_key_out_of_results_and_deployment_state() throws Exception {
        installOld();

        DeploymentResult deployed = deployer.deploy(request("dep-secret", certbotLayout("ok"), fresh));
        DeploymentResult rolledBack = deployer.rollback("dep-secret");

        assertThat(deployed.toString()).doesNotContain(fresh.keyBody()).doesNotContain("PRIVATE KEY");
        assertThat(rolledBack.toString()).doesNotContain(old.keyBody()).doesNotContain("PRIVATE KEY");
        assertThat(request("x", certbotLayout("ok"), fresh).toString()).doesNotContain(fresh.keyBody());
        try (Stream<Path> files = Files.walk(state)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file))
                        .doesNotContain(fresh.keyBody())
                        .doesNotContain(old.keyBody());
                assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            }
        }
    }

    @Test
    void repeating_a_deployment_changes_nothing_and_rollback_still_returns_to_the_original() throws Exception {
        installOld();
        DeploymentResult first = deployer.deploy(request("dep-2", certbotLayout("ok"), fresh));
        Instant firstWrite =
                Files.getLastModifiedTime(live.resolve("fullchain.pem")).toInstant();

        DeploymentResult again = deployer.deploy(request("dep-2", certbotLayout("ok"), fresh));

        assertThat(again.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(again.files()).noneMatch(DeployedFile::changed);
        assertThat(again.files())
                .extracting(DeployedFile::sha256)
                .containsExactlyElementsOf(
                        first.files().stream().map(DeployedFile::sha256).toList());
        assertThat(Files.getLastModifiedTime(live.resolve("fullchain.pem")).toInstant())
                .isEqualTo(firstWrite);
        assertThat(Files.readString(live.resolve("fullchain.pem.certloop-prev")))
                .isEqualTo(old.leafPem() + old.caPem());

        deployer.rollback("dep-2");

        assertThat(read("fullchain.pem")).isEqualTo(old.leafPem() + old.caPem());
        assertThat(read("privkey.pem")).isEqualTo(old.keyPem());
    }

    @Test
    void refuses_a_reused_idempotency_key_with_other_content_and_leaves_the_files() throws Exception {
        installOld();
        deployer.deploy(request("dep-3", certbotLayout("ok"), fresh));

        assertThatThrownBy(() -> deployer.deploy(request("dep-3", certbotLayout("ok"), PKI.issue("other.test"))))
                .isInstanceOf(DeploymentException.Conflict.class);

        assertThat(read("fullchain.pem")).isEqualTo(fresh.leafPem() + fresh.caPem());
        assertThat(read("privkey.pem")).isEqualTo(fresh.keyPem());
        assertThat(TestFiles.names(live)).noneMatch(name -> name.endsWith(".certloop-tmp"));
    }

    @Test
    void refuses_a_reload_action_that_is_not_configured_before_touching_any_file() throws Exception {
        installOld();

        assertThatThrownBy(() -> deployer.deploy(request("dep-4", certbotLayout("nginx -s reload"), fresh)))
                .isInstanceOf(DeploymentException.UnknownReloadAction.class);

        assertThat(read("fullchain.pem")).isEqualTo(old.leafPem() + old.caPem());
        assertThat(Files.exists(live.resolve("fullchain.pem.certloop-prev"))).isFalse();
        assertThat(Files.exists(state)).isFalse();
    }

    @Test
    void reports_a_failed_reload_and_rolls_back_to_the_previous_files() throws Exception {
        installOld();

        DeploymentResult result = deployer.deploy(request("dep-5", certbotLayout("fail"), fresh));

        assertThat(result.outcome()).isEqualTo(Outcome.RELOAD_FAILED);
        assertThat(result.reload().exitCode()).isEqualTo(1);
        assertThat(read("fullchain.pem"))
                .as("files stay for inspection until rollback")
                .isEqualTo(fresh.leafPem() + fresh.caPem());

        DeploymentResult rollback = deployer.rollback("dep-5");

        assertThat(rollback.operation()).isEqualTo(Operation.ROLLBACK);
        assertThat(rollback.files()).allMatch(DeployedFile::changed);
        assertThat(read("cert.pem")).isEqualTo(old.leafPem());
        assertThat(read("chain.pem")).isEqualTo(old.caPem());
        assertThat(read("fullchain.pem")).isEqualTo(old.leafPem() + old.caPem());
        assertThat(read("privkey.pem")).isEqualTo(old.keyPem());
        assertThat(Files.getPosixFilePermissions(live.resolve("privkey.pem")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(rollback.outcome())
                .as("the rollback's own reload runs the same (failing) action again")
                .isEqualTo(Outcome.RELOAD_FAILED);
    }

    @Test
    void reports_a_reload_that_times_out() throws Exception {
        installOld();
        FilesDeployer impatient = deployer(Duration.ofMillis(500), Duration.ofMillis(300));

        DeploymentResult result = impatient.deploy(request("dep-6", certbotLayout("slow"), fresh));

        assertThat(result.outcome()).isEqualTo(Outcome.RELOAD_TIMED_OUT);
        assertThat(result.reload().timedOut()).isTrue();
        assertThat(result.reload().exitCode()).isNull();
        assertThat(result.reload().duration()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void rollback_survives_a_restart_and_can_be_repeated() throws Exception {
        installOld();
        deployer.deploy(request("dep-7", certbotLayout("ok"), fresh));
        FilesDeployer afterRestart = deployer(Duration.ofSeconds(5), Duration.ofMillis(300));

        DeploymentResult first = afterRestart.rollback("dep-7");
        DeploymentResult second = afterRestart.rollback("dep-7");

        assertThat(first.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(second.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(second.files()).noneMatch(DeployedFile::changed);
        assertThat(read("fullchain.pem")).isEqualTo(old.leafPem() + old.caPem());
    }

    @Test
    void refuses_to_roll_back_over_files_changed_since_the_deployment() throws Exception {
        installOld();
        deployer.deploy(request("dep-8", certbotLayout("ok"), fresh));
        deployer.deploy(request("dep-9", certbotLayout("ok"), PKI.issue("newer.test")));
        String newer = read("fullchain.pem");

        assertThatThrownBy(() -> deployer.rollback("dep-8"))
                .isInstanceOf(DeploymentException.Conflict.class)
                .hasMessageContaining("changed since deployment 'dep-8'");

        assertThat(read("fullchain.pem")).isEqualTo(newer);
    }

    @Test
    void rollback_of_a_first_deployment_removes_the_files_it_created() throws Exception {
        deployer.deploy(request(
                "dep-10",
                DeploymentTarget.fullchainAndKey(live.resolve("fullchain.pem"), live.resolve("privkey.pem"), "ok"),
                fresh));
        assertThat(Files.exists(live.resolve("fullchain.pem"))).isTrue();

        DeploymentResult rollback = deployer.rollback("dep-10");

        assertThat(Files.exists(live.resolve("fullchain.pem"))).isFalse();
        assertThat(Files.exists(live.resolve("privkey.pem"))).isFalse();
        assertThat(rollback.files()).allMatch(f -> f.changed() && f.sha256() == null);
    }

    @Test
    void refuses_to_roll_back_an_unknown_deployment() {
        assertThatThrownBy(() -> deployer.rollback("never-deployed")).isInstanceOf(DeploymentException.NotFound.class);
    }

    @Test
    void waits_for_the_service_to_answer_after_the_reload() throws Exception {
        try (ServerSocket service = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            DeploymentResult result = deployer.deploy(new DeploymentRequest(
                    "dep-11",
                    certbotLayout("ok"),
                    fresh.material(),
                    fresh.keySource(),
                    new ServiceAddress("127.0.0.1", service.getLocalPort())));

            assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(result.serviceCheck().answered()).isTrue();
        }
    }

    @Test
    void reports_a_service_that_does_not_answer_after_the_reload() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }

        DeploymentResult result = deployer.deploy(new DeploymentRequest(
                "dep-12",
                certbotLayout("ok"),
                fresh.material(),
                fresh.keySource(),
                new ServiceAddress("127.0.0.1", closedPort)));

        assertThat(result.outcome()).isEqualTo(Outcome.SERVICE_NOT_ANSWERING);
        assertThat(result.serviceCheck().answered()).isFalse();
        assertThat(result.serviceCheck().attempts()).isGreaterThan(1);
        assertThat(result.serviceCheck().lastError()).contains("Connection refused");
    }

    @Test
    void refuses_incomplete_or_unsafe_targets() {
        Path key = live.resolve("privkey.pem");
        Path full = live.resolve("fullchain.pem");
        assertThatThrownBy(
                        () -> deployer.deploy(request("a", new DeploymentTarget(full, null, null, null, "ok"), fresh)))
                .isInstanceOf(DeploymentException.InvalidRequest.class)
                .hasMessageContaining("keyPath");
        assertThatThrownBy(
                        () -> deployer.deploy(request("b", new DeploymentTarget(null, null, null, key, "ok"), fresh)))
                .isInstanceOf(DeploymentException.InvalidRequest.class)
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> deployer.deploy(
                        request("c", DeploymentTarget.fullchainAndKey(Path.of("relative.pem"), key, "ok"), fresh)))
                .isInstanceOf(DeploymentException.InvalidRequest.class)
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> deployer.deploy(request("d", DeploymentTarget.fullchainAndKey(key, key, "ok"), fresh)))
                .isInstanceOf(DeploymentException.InvalidRequest.class)
                .hasMessageContaining("two files");
        assertThatThrownBy(() ->
                        deployer.deploy(request("../escape", DeploymentTarget.fullchainAndKey(full, key, "ok"), fresh)))
                .isInstanceOf(DeploymentException.InvalidRequest.class)
                .hasMessageContaining("idempotencyKey");
        assertThatThrownBy(() -> deployer.deploy(new DeploymentRequest(
                        "e",
                        new DeploymentTarget(null, live.resolve("chain.pem"), null, key, "ok"),
                        new CertificateMaterial(fresh.leafPem(), List.of()),
                        fresh.keySource(),
                        null)))
                .isInstanceOf(DeploymentException.InvalidRequest.class)
                .hasMessageContaining("no chain");
        assertThat(Files.exists(key)).isFalse();
    }

    @Test
    void a_key_source_that_fails_leaves_the_old_files_in_place() throws Exception {
        installOld();
        KeyMaterialSource broken = out -> {
            out.write("-----BEGIN PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII));
            throw new IOException("custody unavailable");
        };

        assertThatThrownBy(() -> deployer.deploy(
                        new DeploymentRequest("dep-13", certbotLayout("ok"), fresh.material(), broken, null)))
                .isInstanceOf(DeploymentException.Storage.class)
                .hasRootCauseMessage("custody unavailable");

        assertThat(read("cert.pem")).isEqualTo(old.leafPem());
        assertThat(read("privkey.pem")).isEqualTo(old.keyPem());
        assertThat(TestFiles.names(live))
                .containsExactlyInAnyOrder("cert.pem", "chain.pem", "fullchain.pem", "privkey.pem");
    }

    @Test
    void releasing_a_verified_deployment_deletes_the_kept_files_and_the_old_key_and_refuses_rollback()
            throws Exception {
        installOld();
        deployer.deploy(request("dep-rel", certbotLayout("ok"), fresh));

        List<Path> deleted = deployer.release("dep-rel");

        assertThat(deleted)
                .extracting(path -> path.getFileName().toString())
                .containsExactlyInAnyOrder(
                        "cert.pem.certloop-prev",
                        "chain.pem.certloop-prev",
                        "fullchain.pem.certloop-prev",
                        "privkey.pem.certloop-prev");
        assertThat(TestFiles.names(live))
                .containsExactlyInAnyOrder("cert.pem", "chain.pem", "fullchain.pem", "privkey.pem");
        assertThat(read("privkey.pem")).isEqualTo(fresh.keyPem());
        assertThat(read("fullchain.pem")).isEqualTo(fresh.leafPem() + fresh.caPem());
        assertThat(deployer.release("dep-rel"))
                .as("repeating a release is harmless")
                .isEmpty();
        assertThatThrownBy(() -> deployer.rollback("dep-rel"))
                .isInstanceOf(DeploymentException.Conflict.class)
                .hasMessageContaining("released");
        assertThat(new FilesDeployer(null, new ManifestStore(state), null, CLOCK, paths()).release("dep-rel"))
                .as("the release is recorded in the manifest, so it survives a restart")
                .isEmpty();
    }

    @Test
    void releasing_an_older_deployment_leaves_what_a_later_deployment_kept() throws Exception {
        installOld();
        deployer.deploy(request("dep-a", certbotLayout("ok"), fresh));
        DeploymentTestPki.Issued newest = OLD_PKI.issue("newest.test"); // another CA: every file changes again
        deployer.deploy(request("dep-b", certbotLayout("ok"), newest)); // keeps dep-a's files for its rollback

        assertThat(deployer.release("dep-a")).isEmpty();

        assertThat(Files.readString(live.resolve("privkey.pem.certloop-prev"))).isEqualTo(fresh.keyPem());
        deployer.rollback("dep-b");
        assertThat(read("privkey.pem")).isEqualTo(fresh.keyPem());
    }

    @Test
    void releasing_an_unknown_deployment_is_refused() {
        assertThatThrownBy(() -> deployer.release("never-deployed")).isInstanceOf(DeploymentException.NotFound.class);
    }

    @Test
    void a_replaced_file_keeps_its_owner_group_and_mode_and_a_key_never_becomes_readable_by_others() throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name")), "changing a file's owner needs root (CI runs as root)");
        installOld();
        UserPrincipalLookupService users = live.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal nobody = users.lookupPrincipalByName("nobody");
        GroupPrincipal nogroup = users.lookupPrincipalByGroupName("nogroup");
        for (String file : List.of("cert.pem", "chain.pem", "fullchain.pem", "privkey.pem")) {
            PosixFileAttributeView view = Files.getFileAttributeView(live.resolve(file), PosixFileAttributeView.class);
            view.setOwner(nobody); // a service that reads its files as its own user (needs root, as CI runs)
            view.setGroup(nogroup);
        }
        Files.setPosixFilePermissions(live.resolve("cert.pem"), PosixFilePermissions.fromString("r--r--r--"));
        // a key readable by its group (Debian's ssl-cert convention) and, wrongly, by everyone
        Files.setPosixFilePermissions(live.resolve("privkey.pem"), PosixFilePermissions.fromString("rw-r--r--"));

        deployer.deploy(request("dep-owner", certbotLayout("ok"), fresh));

        for (String file : List.of("cert.pem", "chain.pem", "fullchain.pem", "privkey.pem")) {
            PosixFileAttributes now = Files.readAttributes(live.resolve(file), PosixFileAttributes.class);
            assertThat(now.owner()).as(file).isEqualTo(nobody);
            assertThat(now.group()).as(file).isEqualTo(nogroup);
        }
        assertThat(read("privkey.pem")).isEqualTo(fresh.keyPem());
        assertThat(Files.getPosixFilePermissions(live.resolve("cert.pem")))
                .isEqualTo(PosixFilePermissions.fromString("r--r--r--"));
        assertThat(Files.getPosixFilePermissions(live.resolve("fullchain.pem")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.getPosixFilePermissions(live.resolve("privkey.pem")))
                .as("the group keeps reading it, others lose it")
                .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));

        deployer.rollback("dep-owner");

        for (String file : List.of("cert.pem", "chain.pem", "fullchain.pem", "privkey.pem")) {
            PosixFileAttributes restored = Files.readAttributes(live.resolve(file), PosixFileAttributes.class);
            assertThat(restored.owner()).as("restored " + file).isEqualTo(nobody);
            assertThat(restored.group()).as("restored " + file).isEqualTo(nogroup);
        }
        assertThat(read("privkey.pem")).isEqualTo(old.keyPem());
        assertThat(Files.getPosixFilePermissions(live.resolve("privkey.pem")))
                .as("a restored key is readable by the service's group again")
                .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(Files.getPosixFilePermissions(live.resolve("cert.pem")))
                .isEqualTo(PosixFilePermissions.fromString("r--r--r--"));
    }

    @Test
    void a_new_key_file_is_owner_only_and_new_certificates_are_world_readable() throws Exception {
        deployer.deploy(request("dep-new", certbotLayout("ok"), fresh));

        assertThat(Files.getPosixFilePermissions(live.resolve("privkey.pem")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(live.resolve("fullchain.pem")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void certbots_symlinked_live_files_stay_links_and_the_archive_files_they_point_to_are_replaced() throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive/example"));
        Path certbotLive = Files.createDirectories(dir.resolve("live/example"));
        Map<String, String> oldContent = Map.of(
                "cert",
                old.leafPem(),
                "chain",
                old.caPem(),
                "fullchain",
                old.leafPem() + old.caPem(),
                "privkey",
                old.keyPem());
        for (Map.Entry<String, String> file : oldContent.entrySet()) {
            Files.writeString(archive.resolve(file.getKey() + "1.pem"), file.getValue());
            Files.createSymbolicLink(
                    certbotLive.resolve(file.getKey() + ".pem"),
                    Path.of("../../archive/example/" + file.getKey() + "1.pem")); // relative, as certbot links
        }
        DeploymentTarget target = new DeploymentTarget(
                certbotLive.resolve("cert.pem"),
                certbotLive.resolve("chain.pem"),
                certbotLive.resolve("fullchain.pem"),
                certbotLive.resolve("privkey.pem"),
                "ok");

        DeploymentResult result = deployer.deploy(request("dep-certbot", target, fresh));

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        for (String name : oldContent.keySet()) {
            assertThat(Files.isSymbolicLink(certbotLive.resolve(name + ".pem")))
                    .as(name + " is still a link")
                    .isTrue();
        }
        assertThat(Files.readString(certbotLive.resolve("fullchain.pem"))).isEqualTo(fresh.leafPem() + fresh.caPem());
        assertThat(Files.readString(archive.resolve("privkey1.pem"))).isEqualTo(fresh.keyPem());

        deployer.rollback("dep-certbot");

        assertThat(Files.isSymbolicLink(certbotLive.resolve("privkey.pem"))).isTrue();
        assertThat(Files.readString(certbotLive.resolve("privkey.pem"))).isEqualTo(old.keyPem());
        assertThat(Files.readString(certbotLive.resolve("cert.pem"))).isEqualTo(old.leafPem());
    }

    @Test
    void a_symbolic_link_to_a_missing_file_is_refused_before_anything_is_written() throws Exception {
        installOld();
        Files.delete(live.resolve("privkey.pem"));
        Files.createSymbolicLink(live.resolve("privkey.pem"), dir.resolve("nowhere/privkey1.pem"));

        assertThatThrownBy(() -> deployer.deploy(request("dep-dangling", certbotLayout("ok"), fresh)))
                .isInstanceOf(DeploymentException.InvalidRequest.class)
                .hasMessageContaining("target.keyPath is a symbolic link to a file that does not exist");
        assertThat(read("fullchain.pem")).isEqualTo(old.leafPem() + old.caPem());
    }

    @Test
    void a_redeploy_of_the_same_certificate_releases_the_key_an_earlier_attempt_kept() throws Exception {
        installOld();
        deployer.deploy(request("attempt-1", certbotLayout("ok"), fresh));
        deployer.deploy(request("attempt-2", certbotLayout("ok"), fresh)); // same bytes: writes nothing, keeps nothing

        deployer.release("attempt-2");

        assertThat(TestFiles.names(live)).noneMatch(name -> name.endsWith(".certloop-prev"));
    }

    @Test
    void releasing_a_rolled_back_deployment_deletes_nothing() throws Exception {
        installOld();
        deployer.deploy(request("dep-back", certbotLayout("ok"), fresh));
        deployer.rollback("dep-back");

        assertThat(deployer.release("dep-back")).isEmpty();
        assertThat(read("privkey.pem")).isEqualTo(old.keyPem());
    }

    @Test
    void a_symbolic_link_outside_certbots_layout_is_refused_and_its_target_untouched() throws Exception {
        installOld();
        Path elsewhere = Files.writeString(dir.resolve("not-a-key.conf"), "important = true\n");
        Files.delete(live.resolve("privkey.pem"));
        Files.createSymbolicLink(live.resolve("privkey.pem"), elsewhere);

        assertThatThrownBy(() -> deployer.deploy(request("dep-escape", certbotLayout("ok"), fresh)))
                .isInstanceOf(DeploymentException.InvalidRequest.class)
                .hasMessageContaining("outside certbot's live/ -> archive/ layout");
        assertThat(Files.readString(elsewhere)).isEqualTo("important = true\n");
    }

    @Test
    void rolling_back_a_redeploy_and_then_the_first_attempt_restores_the_files_from_before_both() throws Exception {
        installOld();
        deployer.deploy(request("try-1", certbotLayout("ok"), fresh));
        deployer.deploy(request("try-2", certbotLayout("ok"), fresh)); // same certificate again: writes nothing

        deployer.rollback("try-2");
        assertThat(read("privkey.pem"))
                .as("the redeploy replaced nothing, so it restores nothing")
                .isEqualTo(fresh.keyPem());
        deployer.rollback("try-1");

        assertThat(read("privkey.pem")).isEqualTo(old.keyPem());
        assertThat(read("fullchain.pem")).isEqualTo(old.leafPem() + old.caPem());
    }

    /** The deployer as configured now, which may allow less than when the endpoint was accepted. */
    private FilesDeployer deployerAllowing(Path... allowed) {
        ReloadActions actions =
                new ReloadActions(Map.of("ok", "/bin/true"), Duration.ofSeconds(5), 4096, "/usr/bin:/bin", CLOCK);
        return new FilesDeployer(
                actions,
                new ManifestStore(state),
                new ServiceAnswerWaiter(Duration.ofMillis(300)),
                CLOCK,
                new DeploymentPaths(List.of(allowed), List.of(state), List.of()));
    }

    @Test
    void a_path_the_configuration_no_longer_allows_is_refused_at_deploy_time_and_nothing_is_written() throws Exception {
        installOld();
        FilesDeployer narrowed = deployerAllowing(Files.createDirectories(dir.resolve("elsewhere")));

        assertThatThrownBy(() -> narrowed.deploy(request("dep-narrowed", certbotLayout("ok"), fresh)))
                .isInstanceOf(DeploymentException.PathRefused.class)
                .hasMessageContaining("target.certificatePath")
                .hasMessageContaining("outside the directories deployments may write to");
        assertThat(read("privkey.pem")).isEqualTo(old.keyPem());
        assertThat(TestFiles.names(live))
                .containsExactlyInAnyOrder("cert.pem", "chain.pem", "fullchain.pem", "privkey.pem");
        assertThatThrownBy(() -> narrowed.rollback("dep-narrowed"))
                .as("no manifest either: there is nothing to roll back")
                .isInstanceOf(DeploymentException.NotFound.class);
    }

    @Test
    void a_linked_directory_that_leads_out_of_the_allowed_one_is_refused_at_deploy_time() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Path escape = Files.createSymbolicLink(allowed.resolve("web"), outside);
        DeploymentTarget target =
                DeploymentTarget.fullchainAndKey(escape.resolve("fullchain.pem"), escape.resolve("key.pem"), "ok");

        assertThatThrownBy(() -> deployerAllowing(allowed).deploy(request("dep-escape-dir", target, fresh)))
                .isInstanceOf(DeploymentException.PathRefused.class)
                .hasMessageContaining("resolves to " + outside.toRealPath().resolve("fullchain.pem"));
        assertThat(TestFiles.names(outside)).isEmpty();
    }

    @Test
    void a_rollback_the_configuration_no_longer_allows_is_refused_and_leaves_the_files_as_they_are() throws Exception {
        installOld();
        deployer.deploy(request("dep-then-narrowed", certbotLayout("ok"), fresh));

        assertThatThrownBy(() -> deployerAllowing(Files.createDirectories(dir.resolve("elsewhere")))
                        .rollback("dep-then-narrowed"))
                .isInstanceOf(DeploymentException.PathRefused.class);
        assertThat(read("privkey.pem")).isEqualTo(fresh.keyPem());
        assertThat(read("privkey.pem" + AtomicFiles.PREVIOUS_SUFFIX)).isEqualTo(old.keyPem());
    }
}
