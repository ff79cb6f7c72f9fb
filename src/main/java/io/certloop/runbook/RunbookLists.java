package io.certloop.runbook;

import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Lists in process variables are comma-separated strings (facts, never serialized Java objects);
 * multi-instance activities iterate over them with {@code ${runbookLists.split(name)}}.
 */
@Component("runbookLists")
public class RunbookLists {

    public List<String> split(String value) {
        return value == null
                ? List.of()
                : Arrays.stream(value.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    static String join(List<String> values) {
        return String.join(",", values);
    }
}
