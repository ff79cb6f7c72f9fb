package io.certloop.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certloop.support.ApiClient;
import io.certloop.support.PostgresIntegrationTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lists answer a page at a time: still JSON arrays, with the next page named in a {@code Link} header. */
class PagingIT extends PostgresIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    private final HttpClient http = HttpClient.newHttpClient();
    private ApiClient operator;

    @BeforeEach
    void users() {
        admin.ensureUser("paging-pia", "paging-pia-pw", "operators");
        operator = ApiClient.as(port, "paging-pia", "paging-pia-pw");
    }

    @Test
    void followingTheNextLinksWalksTheWholeInventoryOnce() throws Exception {
        String prefix = "paging-" + System.nanoTime();
        for (String suffix : List.of("a", "b", "c")) {
            assertThat(operator.post("/api/inventory/endpoints", endpoint(prefix + "-" + suffix))
                            .status())
                    .isEqualTo(201);
        }

        List<String> names = new ArrayList<>();
        String next = "/api/inventory/endpoints?limit=2";
        int pages = 0;
        while (next != null) {
            Page page = get(next);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.items().isArray()).isTrue();
            assertThat(page.items().size()).isLessThanOrEqualTo(2);
            page.items().forEach(e -> names.add(e.path("name").asText()));
            next = page.next().orElse(null);
            pages++;
        }

        assertThat(names).doesNotHaveDuplicates().contains(prefix + "-a", prefix + "-b", prefix + "-c");
        assertThat(pages).isEqualTo((names.size() + 1) / 2);
        assertThat(names).isSorted();
    }

    @Test
    void incidentsOfOneEndpointComeNewestFirstOnePerPage() throws Exception {
        String name = "paging-incidents-" + System.nanoTime();
        assertThat(operator.post("/api/inventory/endpoints", endpoint(name)).status())
                .isEqualTo(201);
        String first = open(name, "expiry");
        String second = open(name, "renewed-not-deployed");

        Page newest = get("/api/incidents?endpoint=" + name + "&limit=1");
        assertThat(newest.items()).hasSize(1);
        assertThat(newest.items().get(0).path("id").asText()).isEqualTo(second);
        assertThat(newest.next()).contains("/api/incidents?endpoint=" + name + "&limit=1&offset=1");

        Page older = get(newest.next().orElseThrow());
        assertThat(older.items().get(0).path("id").asText()).isEqualTo(first);
        Page last = get("/api/incidents?endpoint=" + name + "&limit=1&offset=2");
        assertThat(last.items()).isEmpty();
        assertThat(last.next()).isEmpty();
        assertThat(get("/api/incidents?endpoint=" + name).items())
                .as("without limit: the default page holds both")
                .hasSize(2);
    }

    @Test
    void aLimitOrOffsetOutOfRangeIsRefusedNamingIt() throws Exception {
        for (String list : List.of(
                "/api/inventory/endpoints",
                "/api/incidents",
                "/api/exceptions",
                "/api/notifications",
                "/api/agents",
                "/api/inventory/endpoints/no-such-endpoint/probes")) {
            for (String query : List.of("limit=0", "limit=1001", "limit=ten", "limit=-5")) {
                assertProblem(list + "?" + query, "limit");
            }
            assertProblem(list + "?offset=-1", "offset");
        }
        assertThat(get("/api/incidents?limit=1000").status()).isEqualTo(200);
    }

    private void assertProblem(String path, String field) throws Exception {
        Page refused = get(path);
        assertThat(refused.status()).as(path).isEqualTo(400);
        assertThat(refused.items().path("field").asText()).as(path).isEqualTo(field);
    }

    private String open(String endpoint, String category) {
        ApiClient.Response opened =
                operator.post("/api/incidents", Map.of("endpoint", endpoint, "category", category, "reason", "paging"));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        return opened.json().path("id").asText();
    }

    private Page get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString(
                                                        ("paging-pia:paging-pia-pw").getBytes(StandardCharsets.UTF_8)))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Optional<String> next = response.headers()
                .firstValue("Link")
                .map(NEXT::matcher)
                .filter(Matcher::find)
                .map(m -> m.group(1));
        return new Page(response.statusCode(), JSON.readTree(response.body()), next);
    }

    private static Map<String, Object> endpoint(String name) {
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("name", name);
        endpoint.put("host", "127.0.0.1");
        endpoint.put("port", 1);
        endpoint.put("sni", "paging.test");
        endpoint.put("tier", 3);
        endpoint.put("environment", "non-production");
        endpoint.put("replacementPath", "manual");
        return endpoint;
    }

    private record Page(int status, JsonNode items, Optional<String> next) {}
}
