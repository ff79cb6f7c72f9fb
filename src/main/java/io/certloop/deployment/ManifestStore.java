package io.certloop.deployment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Keeps deployment manifests as one JSON file per deployment id in an owner-only directory on the
 * node whose files they describe (the files deployer acts on local paths, so its state is local too).
 */
final class ManifestStore {

    private final Path directory;
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    ManifestStore(Path directory) {
        this.directory = directory.toAbsolutePath();
    }

    Optional<DeploymentManifest> find(String deploymentId) {
        Path file = fileFor(deploymentId);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(file.toFile(), DeploymentManifest.class));
        } catch (IOException e) {
            throw new DeploymentException.Storage("cannot read deployment manifest " + file, e);
        }
    }

    void save(DeploymentManifest manifest) {
        Path file = fileFor(manifest.deploymentId());
        try {
            ensureDirectory();
            byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
            AtomicFiles.Temp temp = AtomicFiles.writeTemp(file, true, out -> out.write(bytes));
            AtomicFiles.moveIntoPlace(temp.path(), file);
        } catch (IOException e) {
            throw new DeploymentException.Storage("cannot write deployment manifest " + file, e);
        }
    }

    private void ensureDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(
                    directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    private Path fileFor(String deploymentId) {
        return directory.resolve(deploymentId + ".json");
    }
}
