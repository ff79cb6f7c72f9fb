package io.certloop.deployment;

import io.certloop.deployment.DeployedFile.Role;
import io.certloop.deployment.DeploymentResult.Operation;
import io.certloop.deployment.DeploymentResult.Outcome;
import io.certloop.system.Concurrently;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code files} deployer: writes the certbot layout atomically onto local paths, keeps what it
 * replaced next to it as {@code <file>.certloop-prev} until the deployment is rolled back or released
 * (verified: the kept files, a private key among them, are deleted), runs the named reload action and waits for
 * the service to answer. Deployments sharing a reload action write while no reload of it runs, and one reload
 * serves all that have written ({@link SharedReloads}). A manifest written before the first file is replaced makes a retried
 * deployment and a rollback after a restart exact.
 */
final class FilesDeployer implements Deployer {

    private static final Logger log = LoggerFactory.getLogger(FilesDeployer.class);
    private static final Pattern DEPLOYMENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final ReloadActions reloadActions;
    private final ManifestStore manifests;
    private final ServiceAnswerWaiter waiter;
    private final Clock clock;
    private final DeploymentPaths paths;
    private final Map<Path, ReentrantLock> targetLocks = new ConcurrentHashMap<>();

    FilesDeployer(
            ReloadActions reloadActions,
            ManifestStore manifests,
            ServiceAnswerWaiter waiter,
            Clock clock,
            DeploymentPaths paths) {
        this.reloadActions = reloadActions;
        this.manifests = manifests;
        this.waiter = waiter;
        this.clock = clock;
        this.paths = paths;
    }

    @Override
    public String kind() {
        return "files";
    }

    @Override
    public DeploymentResult deploy(DeploymentRequest request) {
        String id = validId(request.idempotencyKey());
        DeploymentTarget target = request.target();
        List<Planned> plan = plan(paths, target, request.certificate(), request.key());
        if (!reloadActions.exists(target.reloadAction())) {
            throw new DeploymentException.UnknownReloadAction(target.reloadAction());
        }
        ReentrantLock lock = lockFor(keyPathOfPlan(plan));
        lock.lock();
        try {
            Instant startedAt = clock.instant();
            SharedReloads.Reloaded<List<DeployedFile>> done = reloadActions
                    .shared()
                    .afterWriting(target.reloadAction(), () -> {
                        List<DeployedFile> deployed = writeFiles(id, request, plan, startedAt);
                        log.info(
                                "deployment {} wrote {} file(s), reloading with {}",
                                id,
                                deployed.stream().filter(DeployedFile::changed).count(),
                                target.reloadAction());
                        return deployed;
                    });
            return check(id, Operation.DEPLOY, done.written(), done.reload(), request.answerAt(), startedAt);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Every request's files are written (concurrently on {@code writers}) while no reload of its action runs; then
     * one reload of each action serves every request of it ({@link SharedReloads}: one round member for them all).
     * The targets stay locked, in path order, until their reload ran and each service answered.
     */
    @Override
    public List<Deployed> deployTogether(List<DeploymentRequest> requests, Executor writers) {
        Deployed[] answers = new Deployed[requests.size()];
        Map<String, List<Integer>> byAction = new LinkedHashMap<>();
        List<List<Planned>> plans = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            DeploymentRequest request = requests.get(i);
            List<Planned> plan = null;
            try {
                validId(request.idempotencyKey());
                plan = plan(paths, request.target(), request.certificate(), request.key());
                if (!reloadActions.exists(request.target().reloadAction())) {
                    throw new DeploymentException.UnknownReloadAction(
                            request.target().reloadAction());
                }
                byAction.computeIfAbsent(request.target().reloadAction(), a -> new ArrayList<>())
                        .add(i);
            } catch (DeploymentException e) {
                answers[i] = new Deployed(request, null, e);
            }
            plans.add(plan);
        }
        for (Map.Entry<String, List<Integer>> action : byAction.entrySet()) {
            List<Integer> members = action.getValue();
            List<ReentrantLock> locks = new ArrayList<>();
            new TreeSet<>(members.stream()
                            .map(i ->
                                    keyPathOfPlan(plans.get(i)).toAbsolutePath().normalize())
                            .toList())
                    .forEach(path -> locks.add(lockFor(path)));
            locks.forEach(ReentrantLock::lock);
            try {
                Instant startedAt = clock.instant();
                Object[] written = new Object[requests.size()];
                SharedReloads.Reloaded<Integer> done = reloadActions.shared().afterWriting(action.getKey(), () -> {
                    Concurrently.map(
                            members,
                            writers,
                            i -> written[i] = writeOrRefusal(requests.get(i), plans.get(i), startedAt));
                    long changed = Arrays.stream(written)
                            .filter(List.class::isInstance)
                            .count();
                    log.info("{} deployment(s) wrote their files, reloading once with {}", changed, action.getKey());
                    return (int) changed;
                });
                for (int i : members) {
                    DeploymentRequest request = requests.get(i);
                    if (written[i] instanceof DeploymentException refused) {
                        answers[i] = new Deployed(request, null, refused);
                    } else {
                        @SuppressWarnings("unchecked")
                        List<DeployedFile> files = (List<DeployedFile>) written[i];
                        answers[i] = new Deployed(
                                request,
                                check(
                                        request.idempotencyKey(),
                                        Operation.DEPLOY,
                                        files,
                                        done.reload(),
                                        request.answerAt(),
                                        startedAt),
                                null);
                    }
                }
            } finally {
                locks.forEach(ReentrantLock::unlock);
            }
        }
        return Arrays.asList(answers);
    }

    /** The files written, or the refusal of this one request (a storage failure, a conflict). */
    private Object writeOrRefusal(DeploymentRequest request, List<Planned> plan, Instant startedAt) {
        try {
            return writeFiles(request.idempotencyKey(), request, plan, startedAt);
        } catch (DeploymentException e) {
            log.warn("deployment {} could not write its files: {}", request.idempotencyKey(), e.getMessage());
            return e;
        }
    }

    @Override
    public DeploymentResult rollback(String deploymentId) {
        String id = validId(deploymentId);
        DeploymentManifest manifest = manifests.find(id).orElseThrow(() -> new DeploymentException.NotFound(id));
        if (manifest.releasedAt() != null) {
            throw new DeploymentException.Conflict("deployment '" + id + "' was verified and released at "
                    + manifest.releasedAt() + "; the files it replaced are deleted, there is nothing to roll back to");
        }
        if (!reloadActions.exists(manifest.reloadAction())) {
            throw new DeploymentException.UnknownReloadAction(manifest.reloadAction());
        }
        for (DeploymentManifest.Entry entry : manifest.files()) {
            // the configuration may have changed since the deployment: a rollback writes nowhere a deployment may not
            String field = "manifest." + entry.role().name().toLowerCase() + "Path";
            paths.require(Path.of(entry.path()), field);
            paths.require(AtomicFiles.previousOf(Path.of(entry.path())), field);
        }
        ReentrantLock lock = lockFor(keyPathOf(manifest));
        lock.lock();
        try {
            Instant startedAt = clock.instant();
            SharedReloads.Reloaded<List<DeployedFile>> done = reloadActions
                    .shared()
                    .afterWriting(manifest.reloadAction(), () -> {
                        List<DeployedFile> restored = restoreFiles(manifest);
                        log.info(
                                "deployment {} rolled back {} file(s), reloading with {}",
                                id,
                                restored.stream().filter(DeployedFile::changed).count(),
                                manifest.reloadAction());
                        return restored;
                    });
            ServiceAddress answerAt = manifest.answerHost() == null
                    ? null
                    : new ServiceAddress(manifest.answerHost(), manifest.answerPort());
            return check(id, Operation.ROLLBACK, done.written(), done.reload(), answerAt, startedAt);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Path> release(String deploymentId) {
        String id = validId(deploymentId);
        DeploymentManifest found = manifests.find(id).orElseThrow(() -> new DeploymentException.NotFound(id));
        ReentrantLock lock = lockFor(keyPathOf(found));
        lock.lock();
        try {
            DeploymentManifest manifest = manifests.find(id).orElseThrow(() -> new DeploymentException.NotFound(id));
            if (manifest.releasedAt() == null) {
                manifests.save(manifest.released(clock.instant())); // first: no rollback from a half-released state
            }
            List<Path> deleted = new ArrayList<>();
            try {
                for (DeploymentManifest.Entry entry : manifest.files()) {
                    Path path = Path.of(entry.path());
                    Path kept = AtomicFiles.previousOf(path);
                    var refusal = paths.refusal(kept);
                    if (refusal.isPresent()) {
                        log.warn("deployment {} leaves {} in place: {}; delete it by hand", id, kept, refusal.get());
                        continue;
                    }
                    // while this deployment's content is live, whatever is kept beside it is an older version: this
                    // deployment's own backup, or an earlier attempt's when a redeploy wrote the same bytes again.
                    // A later deployment's content (not yet verified) keeps its backup; so does a rolled-back one.
                    if (Files.exists(kept) && entry.sha256().equals(AtomicFiles.sha256(path))) {
                        Files.delete(kept);
                        AtomicFiles.syncDirectory(kept.toAbsolutePath().getParent());
                        deleted.add(kept);
                    }
                }
            } catch (IOException e) {
                throw new DeploymentException.Storage("deployment " + id + " could not delete the files it kept", e);
            }
            log.info("deployment {} released: {} kept file(s) deleted", id, deleted.size());
            return List.copyOf(deleted);
        } finally {
            lock.unlock();
        }
    }

    private static Path keyPathOf(DeploymentManifest manifest) {
        return manifest.files().stream()
                .filter(f -> f.role() == Role.KEY)
                .map(f -> Path.of(f.path()))
                .findFirst()
                .orElseThrow();
    }

    private List<DeployedFile> writeFiles(String id, DeploymentRequest request, List<Planned> plan, Instant now) {
        List<AtomicFiles.Temp> temps = new ArrayList<>();
        try {
            for (Planned planned : plan) {
                temps.add(AtomicFiles.writeTemp(planned.path(), planned.role() == Role.KEY, planned.content()));
            }
            Optional<DeploymentManifest> existing = manifests.find(id);
            DeploymentManifest manifest;
            if (existing.isPresent()) {
                manifest = existing.get();
                requireSameContent(manifest, plan, temps);
            } else {
                List<DeploymentManifest.Entry> entries = new ArrayList<>();
                for (int i = 0; i < plan.size(); i++) {
                    Planned planned = plan.get(i);
                    entries.add(new DeploymentManifest.Entry(
                            planned.role(),
                            planned.path().toString(),
                            temps.get(i).sha256(),
                            AtomicFiles.sha256(planned.path())));
                }
                ServiceAddress answerAt = request.answerAt();
                manifest = new DeploymentManifest(
                        id,
                        request.target().reloadAction(),
                        answerAt == null ? null : answerAt.host(),
                        answerAt == null ? null : answerAt.port(),
                        now,
                        entries,
                        null);
                manifests.save(manifest);
            }
            List<DeployedFile> deployed = new ArrayList<>();
            for (int i = 0; i < plan.size(); i++) {
                deployed.add(commit(plan.get(i), temps.get(i)));
            }
            return deployed;
        } catch (IOException e) {
            throw new DeploymentException.Storage("deployment " + id + " could not write its files", e);
        } finally {
            for (AtomicFiles.Temp temp : temps) {
                deleteQuietly(temp.path());
            }
        }
    }

    /** Puts one written temp file in place unless the target already has exactly that content. */
    private static DeployedFile commit(Planned planned, AtomicFiles.Temp temp) throws IOException {
        Path path = planned.path();
        boolean secret = planned.role() == Role.KEY;
        String current = AtomicFiles.sha256(path);
        if (temp.sha256().equals(current)) {
            return new DeployedFile(planned.role(), path, secret ? null : current, false, null);
        }
        Path kept = null;
        if (current != null) {
            kept = AtomicFiles.previousOf(path);
            AtomicFiles.copyAtomically(path, kept, secret);
        }
        AtomicFiles.moveIntoPlace(temp.path(), path);
        return new DeployedFile(planned.role(), path, secret ? null : temp.sha256(), true, kept);
    }

    private static void requireSameContent(
            DeploymentManifest manifest, List<Planned> plan, List<AtomicFiles.Temp> temps) {
        Set<DeploymentManifest.Entry> recorded = new HashSet<>();
        manifest.files().forEach(e -> recorded.add(new DeploymentManifest.Entry(e.role(), e.path(), e.sha256(), null)));
        Set<DeploymentManifest.Entry> requested = new HashSet<>();
        for (int i = 0; i < plan.size(); i++) {
            requested.add(new DeploymentManifest.Entry(
                    plan.get(i).role(),
                    plan.get(i).path().toString(),
                    temps.get(i).sha256(),
                    null));
        }
        if (!recorded.equals(requested)) {
            throw new DeploymentException.Conflict("deployment '" + manifest.deploymentId()
                    + "' already exists with different files or content; use a new idempotency key");
        }
    }

    private List<DeployedFile> restoreFiles(DeploymentManifest manifest) {
        try {
            List<DeploymentManifest.Entry> toRestore = new ArrayList<>();
            for (DeploymentManifest.Entry entry : manifest.files()) {
                if (!entry.changes()) {
                    continue;
                }
                Path path = Path.of(entry.path());
                String current = AtomicFiles.sha256(path);
                if (Objects.equals(current, entry.previousSha256())) {
                    continue; // already restored by an earlier rollback call
                }
                if (!Objects.equals(current, entry.sha256())) {
                    throw new DeploymentException.Conflict(entry.role() + " file " + path
                            + " changed since deployment '" + manifest.deploymentId() + "'; not rolling back over it");
                }
                if (entry.previousExisted()
                        && !entry.previousSha256().equals(AtomicFiles.sha256(AtomicFiles.previousOf(path)))) {
                    throw new DeploymentException.Conflict("the previous content of " + entry.role() + " file " + path
                            + " is no longer kept in " + AtomicFiles.previousOf(path));
                }
                toRestore.add(entry);
            }
            List<DeployedFile> restored = new ArrayList<>();
            for (DeploymentManifest.Entry entry : manifest.files()) {
                Path path = Path.of(entry.path());
                boolean secret = entry.role() == Role.KEY;
                if (toRestore.contains(entry)) {
                    if (entry.previousExisted()) {
                        AtomicFiles.copyAtomically(AtomicFiles.previousOf(path), path, secret);
                    } else {
                        Files.deleteIfExists(path);
                        AtomicFiles.syncDirectory(path.toAbsolutePath().getParent());
                    }
                }
                String now = AtomicFiles.sha256(path);
                restored.add(
                        new DeployedFile(entry.role(), path, secret ? null : now, toRestore.contains(entry), null));
            }
            return restored;
        } catch (IOException e) {
            throw new DeploymentException.Storage(
                    "deployment " + manifest.deploymentId() + " could not be rolled back", e);
        }
    }

    private DeploymentResult check(
            String id,
            Operation operation,
            List<DeployedFile> files,
            ReloadResult reload,
            ServiceAddress answerAt,
            Instant startedAt) {
        Outcome outcome;
        ServiceCheck check = null;
        if (reload.timedOut()) {
            outcome = Outcome.RELOAD_TIMED_OUT;
        } else if (!reload.succeeded()) {
            outcome = Outcome.RELOAD_FAILED;
        } else if (answerAt != null) {
            check = waiter.await(answerAt);
            outcome = check.answered() ? Outcome.SUCCEEDED : Outcome.SERVICE_NOT_ANSWERING;
        } else {
            outcome = Outcome.SUCCEEDED;
        }
        if (outcome == Outcome.SUCCEEDED) {
            log.info("{} {} succeeded", operation, id);
        } else {
            log.warn("{} {} ended {}", operation, id, outcome);
        }
        return new DeploymentResult(id, operation, outcome, files, reload, check, startedAt, clock.instant());
    }

    private static List<Planned> plan(
            DeploymentPaths paths, DeploymentTarget target, CertificateMaterial material, KeyMaterialSource key) {
        if (target.keyPath() == null) {
            throw new DeploymentException.InvalidRequest("target.keyPath is required");
        }
        if (target.certificatePath() == null && target.chainPath() == null && target.fullchainPath() == null) {
            throw new DeploymentException.InvalidRequest(
                    "target needs at least one of certificatePath, chainPath, fullchainPath");
        }
        if (target.reloadAction() == null || target.reloadAction().isBlank()) {
            throw new DeploymentException.InvalidRequest("target.reloadAction is required");
        }
        String leaf = normalized(material.leafPem());
        String chain = String.join(
                "", material.chainPems().stream().map(FilesDeployer::normalized).toList());
        if (target.chainPath() != null && chain.isEmpty()) {
            throw new DeploymentException.InvalidRequest("target.chainPath is set but the certificate has no chain");
        }
        List<Planned> plan = new ArrayList<>();
        target.certificate().ifPresent(p -> plan.add(new Planned(Role.CERTIFICATE, p, text(leaf))));
        target.chain().ifPresent(p -> plan.add(new Planned(Role.CHAIN, p, text(chain))));
        target.fullchain().ifPresent(p -> plan.add(new Planned(Role.FULLCHAIN, p, text(leaf + chain))));
        plan.add(new Planned(Role.KEY, target.keyPath(), key::writePrivateKeyPem));
        Set<Path> seen = new HashSet<>();
        List<Planned> resolved = new ArrayList<>();
        for (Planned planned : plan) {
            String field = "target." + planned.role().name().toLowerCase() + "Path";
            if (!planned.path().isAbsolute()) {
                throw new DeploymentException.InvalidRequest(field + " must be absolute");
            }
            Path path = followSymlink(planned.path(), field);
            // again at deploy time: the allowed directories or the file system may have changed since the
            // inventory accepted the path. The file, what a certbot link points to, and the copy kept for rollback.
            paths.require(planned.path(), field);
            paths.require(path, field);
            paths.require(AtomicFiles.previousOf(path), field);
            if (!seen.add(path.normalize())) {
                throw new DeploymentException.InvalidRequest(field + " is used for two files");
            }
            if (path.getParent() == null || !Files.isDirectory(path.getParent())) {
                throw new DeploymentException.InvalidRequest(
                        field + ": directory " + path.getParent() + " does not exist");
            }
            if (Files.isDirectory(path)) {
                throw new DeploymentException.InvalidRequest(field + " is a directory");
            }
            resolved.add(new Planned(planned.role(), path, planned.content()));
        }
        return resolved;
    }

    /**
     * certbot's {@code live/} files are symbolic links into {@code archive/}; replacing the link with a regular
     * file would make certbot refuse to renew that certificate. The deployer writes (and keeps, and restores)
     * the file the link points to; the link stays as it is.
     */
    private static Path followSymlink(Path path, String field) {
        if (!Files.isSymbolicLink(path)) {
            return path;
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw new DeploymentException.InvalidRequest(
                    field + " is a symbolic link to a file that does not exist: " + path);
        }
        // only certbot's own layout: <root>/live/<name>/<file> -> <root>/archive/<name>/...; a link anywhere else
        // could make CertLoop overwrite (and take over the ownership of) any file its user may write
        Path lineage = path.toAbsolutePath().normalize().getParent();
        Path liveDirectory = lineage.getParent();
        if (liveDirectory != null
                && liveDirectory.getFileName() != null
                && "live".equals(liveDirectory.getFileName().toString())
                && liveDirectory.getParent() != null) {
            try {
                Path archive = liveDirectory
                        .getParent()
                        .resolve("archive")
                        .resolve(lineage.getFileName())
                        .toRealPath();
                if (real.getParent().equals(archive)) {
                    return real;
                }
            } catch (IOException e) {
                // no archive directory: not certbot's layout
            }
        }
        throw new DeploymentException.InvalidRequest(
                field + " is a symbolic link outside certbot's live/ -> archive/ layout (" + path + " -> " + real
                        + "); CertLoop follows no other links");
    }

    private static Path keyPathOfPlan(List<Planned> plan) {
        return plan.stream()
                .filter(p -> p.role() == Role.KEY)
                .map(Planned::path)
                .findFirst()
                .orElseThrow();
    }

    private static AtomicFiles.Content text(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        return (OutputStream out) -> out.write(bytes);
    }

    private static String normalized(String pem) {
        return pem.strip().replace("\r\n", "\n") + "\n";
    }

    private static String validId(String id) {
        if (id == null || !DEPLOYMENT_ID.matcher(id).matches()) {
            throw new DeploymentException.InvalidRequest(
                    "idempotencyKey must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }

    private ReentrantLock lockFor(Path keyPath) {
        return targetLocks.computeIfAbsent(keyPath.toAbsolutePath().normalize(), p -> new ReentrantLock());
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("could not delete temporary file {}: {}", path, e.getMessage());
        }
    }

    private record Planned(Role role, Path path, AtomicFiles.Content content) {}
}
