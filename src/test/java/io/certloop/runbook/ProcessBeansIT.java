package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.support.PostgresIntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** Every delegate and listener a process names exists as a bean of the running application. */
class ProcessBeansIT extends PostgresIntegrationTest {

    private static final Pattern EXPRESSION = Pattern.compile("(?:delegateExpression)=\"\\$\\{([A-Za-z]+)}\"");

    @Autowired
    ApplicationContext context;

    @Test
    void everyDelegateExpressionNamesABean() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("processes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".bpmn")).toList()) {
                Matcher matcher = EXPRESSION.matcher(Files.readString(file));
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        }
        assertThat(names).isNotEmpty();
        assertThat(names)
                .allSatisfy(
                        name -> assertThat(context.containsBean(name)).as(name).isTrue());
    }
}
