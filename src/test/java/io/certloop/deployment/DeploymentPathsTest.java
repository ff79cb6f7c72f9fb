package io.certloop.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where deployments may write, on a real file system with real symbolic links. */
class DeploymentPathsTest {

    @TempDir
    Path base;

    private Path allowed;
    private Path outside;
    private Path data;
    private DeploymentPaths paths;

    @BeforeEach
    void setUp() throws IOException {
        base = base.toRealPath();
        allowed = Files.createDirectories(base.resolve("tls"));
        outside = Files.createDirectories(base.resolve("etc"));
        data = Files.createDirectories(base.resolve("data"));
        paths = new DeploymentPaths(List.of(allowed), List.of(data), List.of());
    }

    @Test
    void a_file_in_an_allowed_directory_or_below_it_is_allowed_even_before_it_exists() {
        assertThat(paths.refusal(allowed.resolve("key.pem"))).isEmpty();
        assertThat(paths.refusal(allowed.resolve("web/new/key.pem"))).isEmpty();
    }

    @Test
    void the_allowed_directory_itself_and_a_sibling_sharing_its_prefix_are_refused() {
        assertThat(paths.refusal(allowed)).isPresent();
        assertThat(paths.refusal(base.resolve("tls-evil/key.pem")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("outside the directories"));
    }

    @Test
    void dot_dot_segments_and_relative_paths_are_refused_before_anything_is_resolved() {
        assertThat(paths.refusal(Path.of(allowed + "/../etc/passwd")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("normalized"));
        assertThat(paths.refusal(Path.of(allowed + "/web/../key.pem"))).isPresent();
        assertThat(paths.refusal(Path.of("tls/key.pem")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("absolute"));
    }

    @Test
    void a_linked_directory_inside_an_allowed_one_that_points_outside_is_refused() throws IOException {
        Files.createSymbolicLink(allowed.resolve("escape"), outside);

        assertThat(paths.refusal(allowed.resolve("escape/key.pem")))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .contains("outside the directories")
                        .contains("resolves to " + outside.resolve("key.pem")));
        assertThat(paths.refusal(allowed.resolve("escape/deeper/key.pem"))).isPresent();
    }

    @Test
    void a_linked_file_pointing_outside_is_refused_and_a_dangling_link_too() throws IOException {
        Path passwd = Files.writeString(outside.resolve("passwd"), "root:x:0:0\n");
        Files.createSymbolicLink(allowed.resolve("key.pem"), passwd);
        Files.createSymbolicLink(allowed.resolve("dangling.pem"), outside.resolve("nothing"));

        assertThat(paths.refusal(allowed.resolve("key.pem"))).isPresent();
        assertThat(paths.refusal(allowed.resolve("dangling.pem")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("cannot be resolved"));
    }

    @Test
    void an_allowed_directory_that_is_itself_a_link_allows_what_it_points_to() throws IOException {
        Path real = Files.createDirectories(base.resolve("srv/tls"));
        Path link = Files.createSymbolicLink(base.resolve("tls-link"), real);
        DeploymentPaths linked = new DeploymentPaths(List.of(link), List.of(data), List.of());

        assertThat(linked.refusal(link.resolve("key.pem"))).isEmpty();
        assertThat(linked.refusal(real.resolve("key.pem"))).isEmpty();
    }

    @Test
    void the_data_directory_is_refused_even_when_listed_or_inside_a_listed_directory() {
        DeploymentPaths listed = new DeploymentPaths(List.of(base, data), List.of(data), List.of());

        assertThat(listed.refusal(data.resolve("master.key")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("CertLoop's own data directory"));
        assertThat(listed.refusal(data.resolve("deployments/x.json"))).isPresent();
        assertThat(listed.refusal(allowed.resolve("key.pem"))).isEmpty();
    }

    @Test
    void a_link_into_the_data_directory_is_refused() throws IOException {
        Files.createSymbolicLink(allowed.resolve("state"), data);

        assertThat(paths.refusal(allowed.resolve("state/master.key")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("CertLoop's own data directory"));
    }

    @Test
    void with_no_allowed_directory_every_path_is_refused() {
        DeploymentPaths none = new DeploymentPaths(List.of(), List.of(data), List.of());

        assertThat(none.refusal(allowed.resolve("key.pem")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("file deployment is off"));
    }

    @Test
    void a_grant_of_code_opens_its_directory_inside_the_data_directory_and_nothing_else_there() {
        Path demo = data.resolve("demo");
        DeploymentPaths demoOnly =
                new DeploymentPaths(List.of(), List.of(data), List.of(new DeploymentDirectoryGrant(demo, "demo")));

        assertThat(demoOnly.refusal(demo.resolve("key.pem"))).isEmpty();
        assertThat(demoOnly.refusal(data.resolve("master.key"))).isPresent();
        assertThat(demoOnly.refusal(allowed.resolve("key.pem"))).isPresent();
        assertThatThrownBy(() -> new DeploymentPaths(
                        List.of(), List.of(data), List.of(new DeploymentDirectoryGrant(base, "too wide"))))
                .hasMessageContaining("may not contain CertLoop's own directory");
    }

    @Test
    void a_relative_allowed_directory_is_a_configuration_error() {
        assertThatThrownBy(() -> new DeploymentPaths(List.of(Path.of("certs")), List.of(data), List.of()))
                .hasMessageContaining("absolute");
    }
}
