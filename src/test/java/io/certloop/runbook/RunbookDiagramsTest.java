package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every process has its page in {@code docs/runbooks/}, and the picture on that page is the process as it is
 * now: a changed layout or a new step that was not redrawn fails here. Redraw with
 * {@code ./mvnw test -Dtest=RunbookDiagramsTest -Ddiagrams.write=true}.
 */
class RunbookDiagramsTest {

    private static final Path PROCESSES = Path.of("processes");
    private static final Path PAGES = Path.of("docs/runbooks");

    static List<Path> processes() throws IOException {
        if (Boolean.getBoolean("diagrams.write")) {
            RunbookDiagram.writeAll(PROCESSES, PAGES);
        }
        return RunbookDiagram.bpmnFiles(PROCESSES);
    }

    @ParameterizedTest
    @MethodSource("processes")
    void pageShowsThePictureOfTheProcess(Path bpmn) throws IOException {
        String key = RunbookDiagram.processKey(bpmn);
        Path page = PAGES.resolve(key + ".md");
        assertThat(page).as("a page for process %s", key).exists();
        assertThat(Files.readString(page)).contains("(" + key + ".svg)");
        Path picture = PAGES.resolve(key + ".svg");
        assertThat(picture)
                .as("%s is redrawn from %s (-Ddiagrams.write=true)", picture, bpmn)
                .exists();
        assertThat(Files.readString(picture))
                .as("%s is redrawn from %s (-Ddiagrams.write=true)", picture, bpmn)
                .isEqualTo(RunbookDiagram.render(bpmn));
    }

    @Test
    void everyTaskAndEventOfAProcessIsDrawn() {
        String svg = RunbookDiagram.render(PROCESSES.resolve("expiry-incident.bpmn"));

        assertThat(svg)
                .startsWith("<svg")
                .contains(">Verify with a<")
                .contains("user")
                .contains("service");
    }

    @Test
    void noPictureIsLeftForAProcessThatIsGone() throws IOException {
        List<String> keys = RunbookDiagram.bpmnFiles(PROCESSES).stream()
                .map(RunbookDiagram::processKey)
                .toList();
        try (var pictures = Files.list(PAGES)) {
            assertThat(pictures.map(p -> p.getFileName().toString())
                            .filter(name -> name.endsWith(".svg") || name.endsWith(".png"))
                            .map(name -> name.substring(0, name.lastIndexOf('.'))))
                    .allMatch(keys::contains);
        }
    }
}
