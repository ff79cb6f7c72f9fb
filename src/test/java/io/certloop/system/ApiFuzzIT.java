package io.certloop.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.certloop.support.PostgresIntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every {@code /api} route, found in Spring's own handler mapping (so a route added later is covered without
 * touching this test), gets malformed and hostile requests as an administrator, who may call every route:
 * broken and deeply nested JSON, invalid UTF-8, unknown fields, every field with a wrong type, a huge string or
 * a huge number, null and empty bodies, form and text content types, bodies over the size limit, a browser's
 * cross-site request, and hostile query and path parameters. Each must answer 4xx with an
 * {@code application/problem+json} body, never 5xx, and nothing may be written.
 *
 * <p>Bodies start from a valid request where one is known ({@link #BASES}), so a mutation that validation
 * misses shows up as a write; other routes start from {@code {}}.
 */
class ApiFuzzIT extends PostgresIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String TARGET = "fuzz-target";
    private static final String NO_ID = "FUZZ-0000-000000";
    private static final int MAX_BODY = 1024 * 1024;
    private static final String HUGE = "x".repeat(200_000);
    private static final String HUGE_NUMBER = "1" + "0".repeat(2_000);
    /** Routes whose foreign senders' text is kept (cut), not refused: hostile text may be accepted there. */
    private static final Set<String> ACCEPTS_ANY_TEXT = Set.of("POST /api/alerts/alertmanager");

    /** A valid body per route, where the route needs one to reach its validation; written for no one. */
    private static final Map<String, Supplier<JsonNode>> BASES = Map.of(
            "POST /api/inventory/endpoints", () -> endpoint("fuzz-created"),
            "PUT /api/inventory/endpoints/{ref}", () -> endpoint(TARGET),
            "POST /api/incidents",
                    () -> json(Map.of("endpoint", TARGET, "category", "expiry", "reason", "fuzzing the API")),
            "POST /api/exceptions",
                    () -> json(Map.of(
                            "endpoint", TARGET,
                            "findingCode", "EXPIRING_SOON",
                            "reason", "fuzzing the API",
                            "compensatingControls", "none",
                            "expiresAt", Instant.now().plus(Duration.ofDays(1)).toString())),
            "POST /api/probes", () -> json(Map.of("host", "127.0.0.1", "port", 1, "sni", "fuzz.test")),
            "POST /api/alerts/alertmanager", ApiFuzzIT::resolvedAlertForAnUnknownTarget,
            "POST /api/inventory/endpoints/{ref}/replace", () -> json(Map.of("profile", "standard")));

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void everyApiRouteAnswersHostileRequestsWithProblemDetailsAndWritesNothing() {
        ensureTarget();
        Map<String, Object> before = written();
        List<String> wrong = new ArrayList<>();
        List<String> routes = new ArrayList<>();
        int requests = 0;
        for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping :
                new TreeMap<>(byName(mappings.getHandlerMethods())).values()) {
            RequestMappingInfo info = mapping.getKey();
            HandlerMethod handler = mapping.getValue();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/")) {
                    continue;
                }
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    Route route = new Route(method.name(), pattern, handler, info);
                    routes.add(route.name());
                    for (Case c : cases(route)) {
                        requests++;
                        Answer answer = send(c);
                        String problem = judge(route, c, answer);
                        if (problem != null) {
                            wrong.add(route.name() + " / " + c.name() + ": " + problem);
                        }
                    }
                }
            }
        }
        // before any route is chosen: no such route, a method the route lacks, an answer type it cannot give
        for (Case c : List.of(
                new Case("no such route", "GET", "/api/no-such-route", null, null, Map.of(), 404),
                new Case("no such method", "PATCH", "/api/incidents", "application/json", bytes("{}"), Map.of(), 405),
                new Case(
                        "Accept: application/xml",
                        "GET",
                        "/api/incidents/" + NO_ID + "/evidence",
                        null,
                        null,
                        Map.of("Accept", "application/xml"),
                        406))) {
            requests++;
            Answer answer = send(c);
            if (answer.status() != c.expected()
                    || !answer.contentType().startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE)) {
                wrong.add(c.method() + " " + c.path() + " / " + c.name() + ": expected " + c.expected()
                        + " problem, got " + answer);
            }
        }
        assertThat(routes)
                .as("the handler mapping lists CertLoop's routes")
                .contains(
                        "POST /api/alerts/alertmanager",
                        "POST /api/inventory/import",
                        "GET /api/incidents",
                        "POST /api/incidents/{id}/resolve",
                        "DELETE /api/inventory/endpoints/{ref}");
        assertThat(requests).isGreaterThan(routes.size() * 5);
        assertThat(wrong)
                .as("hostile requests not answered with a 4xx problem detail")
                .isEmpty();
        assertThat(written()).as("rows written by hostile requests").isEqualTo(before);
    }

    // ---------------------------------------------------------------------------------------------------------
    // what is sent

    private List<Case> cases(Route route) {
        List<Case> cases = new ArrayList<>();
        String path = route.path(TARGET, NO_ID);
        boolean changes = !route.method().equals("GET");
        MethodParameter body = route.body();
        if (body != null && body.getParameterType() == String.class) {
            yamlCases(route, path, cases);
        } else if (body != null) {
            jsonCases(route, path, body, cases);
        } else if (changes) {
            cases.add(new Case("text/plain body", route.method(), path, "text/plain", bytes("a=b"), Map.of(), 415));
            cases.add(new Case(
                    "form body",
                    route.method(),
                    path,
                    "application/x-www-form-urlencoded",
                    bytes("a=b"),
                    Map.of(),
                    415));
            cases.add(new Case(
                    "multipart body",
                    route.method(),
                    path,
                    "multipart/form-data; boundary=x",
                    bytes("--x--"),
                    Map.of(),
                    415));
            cases.add(new Case(
                    "cross-site browser request",
                    route.method(),
                    path,
                    null,
                    null,
                    Map.of("Sec-Fetch-Site", "cross-site"),
                    403));
        }
        paramCases(route, cases);
        if (!changes) {
            cases.add(new Case(
                    "Accept: application/xml", "GET", path, null, null, Map.of("Accept", "application/xml"), 0));
            if (route.pattern().contains("{")) {
                cases.add(new Case(
                        "2000-character path variable",
                        "GET",
                        route.path("p".repeat(2000), "I".repeat(2000)),
                        null,
                        null,
                        Map.of(),
                        0));
            }
        }
        return cases;
    }

    private void jsonCases(Route route, String path, MethodParameter body, List<Case> cases) {
        String m = route.method();
        Supplier<JsonNode> baseSupplier = BASES.getOrDefault(route.name(), () -> NODES.objectNode());
        JsonNode base = baseSupplier.get();
        boolean safeToOmit = body.getParameterAnnotation(RequestBody.class).required()
                || !route.pattern().contains("{ref}");
        add(cases, "malformed JSON", m, path, "{\"reason\": ", 400);
        add(cases, "10,000 nested arrays", m, path, "[".repeat(10_000) + "]".repeat(10_000), 400);
        add(cases, "5,000 nested objects", m, path, "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000), 400);
        add(cases, "array instead of object", m, path, "[]", 400);
        add(cases, "number instead of object", m, path, "5", 400);
        cases.add(new Case(
                "invalid UTF-8",
                m,
                path,
                "application/json",
                concat(
                        bytes("{\"" + firstField(base, body) + "\": \""),
                        new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF},
                        bytes("\"}")),
                Map.of(),
                400));
        if (safeToOmit) {
            add(cases, "empty body", m, path, "", 400);
            add(cases, "null body", m, path, "null", 400);
        }
        ObjectNode unknown = base.isObject() ? ((ObjectNode) base.deepCopy()) : NODES.objectNode();
        unknown.put("fuzzUnknownField", 1);
        add(cases, "unknown field", m, path, unknown.toString(), 400);
        boolean validBase = BASES.containsKey(route.name());
        for (Mutation mutation : mutations(base, body.getParameterType(), "")) {
            if (mutation.isNull() && (validBase || !safeToOmit)) {
                // leaving out an optional field of a valid request is no attack: it may well be accepted
                continue;
            }
            add(cases, mutation.name(), m, path, mutation.body().toString(), 400);
        }
        String valid = base.toString();
        cases.add(new Case("text/plain", m, path, "text/plain", bytes(valid), Map.of(), 415));
        cases.add(new Case(
                "text/plain; charset=utf-8", m, path, "text/plain; charset=utf-8", bytes(valid), Map.of(), 415));
        cases.add(
                new Case("form post", m, path, "application/x-www-form-urlencoded", bytes("reason=x"), Map.of(), 415));
        cases.add(
                new Case("multipart form", m, path, "multipart/form-data; boundary=x", bytes("--x--"), Map.of(), 415));
        cases.add(new Case("application/xml", m, path, "application/xml", bytes("<a/>"), Map.of(), 415));
        cases.add(new Case("no content type", m, path, null, bytes(valid), Map.of(), 415));
        cases.add(new Case("invalid content type", m, path, "not a type", bytes(valid), Map.of(), 415));
        cases.add(new Case(
                "cross-site browser request",
                m,
                path,
                "application/json",
                bytes(valid),
                Map.of("Sec-Fetch-Site", "cross-site"),
                403));
        cases.add(new Case("body over the limit", m, path, "application/json", padded(valid), Map.of(), 413));
        cases.add(new Case(
                "streamed body over the limit",
                m,
                path,
                "application/json",
                padded(valid),
                Map.of("chunked", ""),
                413));
    }

    private void yamlCases(Route route, String path, List<Case> cases) {
        String m = route.method();
        String yaml = "application/yaml";
        cases.add(new Case("malformed YAML", m, path, yaml, bytes("endpoints: [ {name: : :"), Map.of(), 400));
        cases.add(new Case(
                "10,000 nested lists", m, path, yaml, bytes("endpoints: " + "[".repeat(10_000)), Map.of(), 400));
        StringBuilder laughs = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            laughs.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                laughs.append(i == 0 ? "" : ",").append('*').append((char) (c - 1));
            }
            laughs.append("]\n");
        }
        laughs.append("endpoints: *j\n");
        cases.add(new Case("billion laughs", m, path, yaml, bytes(laughs.toString()), Map.of(), 400));
        cases.add(new Case(
                "Java type tag",
                m,
                path,
                yaml,
                bytes("endpoints: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL"
                        + " [\"http://127.0.0.1:1/\"]]]]"),
                Map.of(),
                400));
        cases.add(new Case("unknown field", m, path, yaml, bytes("endpoints:\n  - nmae: a\n"), Map.of(), 400));
        cases.add(new Case("wrong type", m, path, yaml, bytes("endpoints: 5\n"), Map.of(), 400));
        cases.add(new Case(
                "wrong nested type", m, path, yaml, bytes("endpoints:\n  - name: a\n    port: [1]\n"), Map.of(), 400));
        cases.add(new Case(
                "huge name",
                m,
                path,
                yaml,
                bytes("endpoints:\n  - name: " + HUGE + "\n    host: a.test\n    tier: 1\n"
                        + "    environment: production\n"),
                Map.of(),
                400));
        cases.add(new Case(
                "invalid UTF-8",
                m,
                path,
                yaml,
                concat(bytes("endpoints:\n  - name: "), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, bytes("\n")),
                Map.of(),
                400));
        cases.add(new Case("empty body", m, path, yaml, new byte[0], Map.of(), 400));
        cases.add(new Case("JSON that is not", m, path, "application/json", bytes("{\"endpoints\": "), Map.of(), 400));
        cases.add(new Case("text/plain", m, path, "text/plain", bytes("endpoints: []"), Map.of(), 415));
        cases.add(new Case(
                "form post", m, path, "application/x-www-form-urlencoded", bytes("endpoints=x"), Map.of(), 415));
        cases.add(new Case("no content type", m, path, null, bytes("endpoints: []"), Map.of(), 415));
        cases.add(new Case(
                "cross-site browser request",
                m,
                path,
                yaml,
                bytes("endpoints: []"),
                Map.of("Sec-Fetch-Site", "cross-site"),
                403));
        cases.add(new Case("body over the limit", m, path, yaml, padded("endpoints: []"), Map.of(), 413));
    }

    /** Query parameters: wrong types, out-of-range page limits, huge strings. */
    private void paramCases(Route route, List<Case> cases) {
        String base = route.path(TARGET, NO_ID);
        String valid =
                BASES.containsKey(route.name()) ? BASES.get(route.name()).get().toString() : "{}";
        for (MethodParameter parameter : route.handler().getMethodParameters()) {
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param == null) {
                continue;
            }
            String name = !param.name().isEmpty()
                    ? param.name()
                    : parameter.getParameter().getName();
            Class<?> type = parameter.getParameterType();
            List<String> values = new ArrayList<>();
            if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
                values.addAll(List.of("abc", "99999999999999999999", "-1", "1.5"));
                if (name.equals("limit")) {
                    values.addAll(List.of("0", "1001"));
                }
            } else if (type == boolean.class || type == Boolean.class) {
                values.add("maybe");
            } else {
                values.add("s".repeat(4_000));
            }
            for (String value : values) {
                String path = base + "?" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
                boolean typed = type != String.class;
                if (route.method().equals("GET")) {
                    // a text filter that matches nothing is a fine question (or a 400 for another parameter the
                    // route requires, e.g. the export's period); a typed one must name itself
                    cases.add(new Case(
                            name + "=" + abbreviate(value),
                            "GET",
                            path,
                            null,
                            null,
                            Map.of(),
                            typed ? 400 : 0,
                            typed ? name : null));
                } else if (typed) {
                    cases.add(new Case(
                            name + "=" + abbreviate(value),
                            route.method(),
                            path,
                            route.body() == null ? null : "application/json",
                            route.body() == null ? null : bytes(valid),
                            Map.of(),
                            400,
                            name));
                }
            }
        }
    }

    /** One field at a time: a wrong type, a huge string or number, null; objects recursively. */
    private static List<Mutation> mutations(JsonNode base, Class<?> type, String prefix) {
        List<Mutation> mutations = new ArrayList<>();
        Map<String, Object> fields = new LinkedHashMap<>();
        if (base.isObject()) {
            base.fieldNames().forEachRemaining(f -> fields.put(f, base.get(f)));
        }
        if (type != null && type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                fields.putIfAbsent(component.getName(), component);
            }
        }
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            String name = field.getKey();
            List<JsonNode> values = new ArrayList<>();
            Class<?> nestedType = null;
            if (field.getValue() instanceof JsonNode value) {
                values.addAll(hostileFor(value));
                if (type != null && type.isRecord()) {
                    for (RecordComponent c : type.getRecordComponents()) {
                        if (c.getName().equals(name)) {
                            nestedType = c.getType();
                        }
                    }
                }
                if (value.isObject()) {
                    for (Mutation nested : mutations(value, nestedType, prefix + name + ".")) {
                        ObjectNode body = ((ObjectNode) base.deepCopy());
                        body.set(name, nested.body());
                        mutations.add(new Mutation(nested.name(), body, nested.isNull()));
                    }
                } else if (value.isArray() && !value.isEmpty() && value.get(0).isObject()) {
                    // a list of objects (Alertmanager's alerts): its first element, field by field
                    for (Mutation nested : mutations(value.get(0), null, prefix + name + "[0].")) {
                        ObjectNode body = ((ObjectNode) base.deepCopy());
                        ((com.fasterxml.jackson.databind.node.ArrayNode) body.get(name)).set(0, nested.body());
                        mutations.add(new Mutation(nested.name(), body, nested.isNull()));
                    }
                }
            } else {
                RecordComponent component = (RecordComponent) field.getValue();
                values.addAll(hostileFor(component.getType(), component.getGenericType()));
            }
            for (JsonNode value : values) {
                ObjectNode body = base.isObject() ? ((ObjectNode) base.deepCopy()) : NODES.objectNode();
                body.set(name, value);
                mutations.add(new Mutation(prefix + name + " = " + abbreviate(value.toString()), body, false));
            }
            ObjectNode nulled = base.isObject() ? ((ObjectNode) base.deepCopy()) : NODES.objectNode();
            nulled.putNull(name);
            mutations.add(new Mutation(prefix + name + " = null", nulled, true));
        }
        return mutations;
    }

    private static List<JsonNode> hostileFor(JsonNode value) {
        if (value.isTextual()) {
            return List.of(NODES.numberNode(5), NODES.booleanNode(true), NODES.objectNode(), NODES.textNode(HUGE));
        }
        if (value.isNumber()) {
            return List.of(NODES.textNode("abc"), NODES.objectNode(), rawNumber(), NODES.numberNode(1.5));
        }
        if (value.isBoolean()) {
            return List.of(NODES.textNode("maybe"), NODES.arrayNode());
        }
        if (value.isArray()) {
            return List.of(
                    NODES.textNode("x"), NODES.objectNode(), NODES.arrayNode().add(HUGE));
        }
        return List.of(NODES.numberNode(5), NODES.textNode("x"), NODES.arrayNode());
    }

    private static List<JsonNode> hostileFor(Class<?> type, Type generic) {
        if (type == String.class) {
            return List.of(NODES.numberNode(5), NODES.booleanNode(true), NODES.objectNode(), NODES.textNode(HUGE));
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return List.of(NODES.textNode("abc"), NODES.objectNode(), rawNumber());
        }
        if (Collection.class.isAssignableFrom(type)) {
            boolean ofText = generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] == String.class;
            return ofText
                    ? List.of(
                            NODES.textNode("x"),
                            NODES.objectNode(),
                            NODES.arrayNode().add(HUGE),
                            nestedLists())
                    : List.of(NODES.textNode("x"), NODES.objectNode());
        }
        if (Map.class.isAssignableFrom(type)) {
            return List.of(
                    NODES.arrayNode().add(1),
                    NODES.textNode("x"),
                    NODES.objectNode().put("k", HUGE));
        }
        if (type == Instant.class) {
            return List.of(NODES.textNode("yesterday"), NODES.objectNode());
        }
        return List.of(NODES.numberNode(5), NODES.textNode("x"), NODES.arrayNode());
    }

    /** A number of 2,001 digits, beyond Jackson's number length limit. */
    private static JsonNode rawNumber() {
        return NODES.rawValueNode(new com.fasterxml.jackson.databind.util.RawValue(HUGE_NUMBER));
    }

    private static JsonNode nestedLists() {
        return NODES.arrayNode().add(NODES.arrayNode().add(NODES.arrayNode()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // what is expected

    /** Null when the answer is right; else what is wrong with it. */
    private static String judge(Route route, Case c, Answer answer) {
        if (answer.status() >= 500) {
            return "server error " + answer;
        }
        boolean mayAccept = route.method().equals("GET") && c.expected() == 0
                || ACCEPTS_ANY_TEXT.contains(route.name()) && (c.expected() == 400);
        if (answer.status() < 400) {
            return mayAccept ? null : "accepted: " + answer;
        }
        if (!answer.contentType().startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE)) {
            return "not a problem detail: " + answer;
        }
        if (c.expected() == 415 || c.expected() == 413 || c.expected() == 403) {
            return answer.status() == c.expected() ? null : "expected " + c.expected() + ", got " + answer;
        }
        if (c.field() != null) {
            JsonNode problem = answer.json();
            return answer.status() == 400
                            && c.field().equals(problem.path("field").asText())
                    ? null
                    : "expected 400 naming " + c.field() + ", got " + answer;
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------------
    // what is counted

    /** Rows of the main tables, and the target endpoint as stored: a hostile request must change none. */
    private Map<String, Object> written() {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (String table : List.of(
                "inventory_endpoint",
                "incident",
                "incident_alert",
                "policy_exception",
                "break_glass",
                "break_glass_approval")) {
            counts.put(table, jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class));
        }
        counts.put(
                "probe_result of the target",
                jdbc.queryForObject("SELECT COUNT(*) FROM probe_result WHERE endpoint_name = ?", Long.class, TARGET));
        counts.put(
                "issued_certificate of the target",
                jdbc.queryForObject(
                        "SELECT COUNT(*) FROM issued_certificate WHERE endpoint_name = ?", Long.class, TARGET));
        counts.put(
                "triage runbooks",
                jdbc.queryForObject(
                        "SELECT COUNT(*) FROM act_hi_procinst WHERE business_key_ LIKE 'TRIAGE-%'", Long.class));
        counts.put(
                "the target",
                jdbc.queryForList("SELECT * FROM inventory_endpoint WHERE name = ?", TARGET)
                        .toString());
        return counts;
    }

    private void ensureTarget() {
        if (admin.get("/api/inventory/endpoints/" + TARGET).status() == 404) {
            assertThat(admin.post("/api/inventory/endpoints", endpoint(TARGET)).status())
                    .isEqualTo(201);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // plumbing

    private static JsonNode endpoint(String name) {
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("name", name);
        endpoint.put("host", "127.0.0.1");
        endpoint.put("port", 1);
        endpoint.put("sni", "fuzz.test");
        endpoint.put("expectedNames", List.of("fuzz.test"));
        endpoint.put("tier", 3);
        endpoint.put("environment", "non-production");
        endpoint.put("serviceOwner", Map.of("team", "fuzz", "email", "fuzz@example.test"));
        endpoint.put("replacementPath", "manual");
        endpoint.put("partnerContacts", List.of("partner@example.test"));
        return json(endpoint);
    }

    private static JsonNode resolvedAlertForAnUnknownTarget() {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("status", "resolved");
        alert.put("labels", Map.of("alertname", "FuzzAlert", "instance", "fuzz-unknown.test:443"));
        alert.put("annotations", Map.of("summary", "fuzzing"));
        alert.put("startsAt", "2026-01-01T00:00:00Z");
        alert.put("endsAt", "2026-01-01T01:00:00Z");
        alert.put("fingerprint", "0123456789abcdef");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("version", "4");
        payload.put("groupKey", "{}:{alertname=\"FuzzAlert\"}");
        payload.put("status", "resolved");
        payload.put("receiver", "certloop");
        payload.put("alerts", List.of(alert));
        return json(payload);
    }

    private static JsonNode json(Object value) {
        return JSON.valueToTree(value);
    }

    private static String firstField(JsonNode base, MethodParameter body) {
        if (base.isObject() && base.fieldNames().hasNext()) {
            return base.fieldNames().next();
        }
        Class<?> type = body.getParameterType();
        return type.isRecord() && type.getRecordComponents().length > 0
                ? type.getRecordComponents()[0].getName()
                : "reason";
    }

    private static void add(List<Case> cases, String name, String method, String path, String body, int expected) {
        cases.add(new Case(name, method, path, "application/json", bytes(body), Map.of(), expected));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A valid body made one byte larger than the limit with trailing white space. */
    private static byte[] padded(String body) {
        byte[] start = bytes(body);
        byte[] all = new byte[MAX_BODY + 1];
        java.util.Arrays.fill(all, (byte) ' ');
        System.arraycopy(start, 0, all, 0, start.length);
        return all;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 20) + "…(" + s.length() + " chars)" : s;
    }

    private static Map<String, Map.Entry<RequestMappingInfo, HandlerMethod>> byName(
            Map<RequestMappingInfo, HandlerMethod> methods) {
        Map<String, Map.Entry<RequestMappingInfo, HandlerMethod>> named = new TreeMap<>();
        methods.entrySet().forEach(e -> named.put(e.getKey().toString(), e));
        return named;
    }

    private Answer send(Case c) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + c.path()))
                .timeout(Duration.ofSeconds(60))
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (ADMIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        if (!c.headers().containsKey("Accept")) {
            request.header("Accept", "application/json, application/problem+json");
        }
        c.headers().forEach((name, value) -> {
            if (!name.equals("chunked")) {
                request.header(name, value);
            }
        });
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        HttpRequest.BodyPublisher publisher;
        if (c.body() == null) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else if (c.headers().containsKey("chunked")) {
            publisher = chunked(c.body());
        } else {
            publisher = HttpRequest.BodyPublishers.ofByteArray(c.body());
        }
        request.method(c.method(), publisher);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            // the server may close the connection on a refused oversized body before reading it all
            if (c.expected() == 413) {
                return new Answer(413, MediaType.APPLICATION_PROBLEM_JSON_VALUE, "(connection closed)");
            }
            throw new UncheckedIOException(c.name() + " " + c.path(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A body of unknown length (Transfer-Encoding: chunked), so only counting what arrives can bound it. */
    private static HttpRequest.BodyPublisher chunked(byte[] body) {
        HttpRequest.BodyPublisher whole = HttpRequest.BodyPublishers.ofByteArray(body);
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                whole.subscribe(subscriber);
            }
        };
    }

    private record Route(String method, String pattern, HandlerMethod handler, RequestMappingInfo info) {

        String name() {
            return method + " " + pattern;
        }

        /** The pattern with {@code {ref}} as an inventory endpoint and every other variable as an id no record has. */
        String path(String ref, String id) {
            return pattern.replace("{ref}", ref).replaceAll("\\{[^}]+}", id);
        }

        MethodParameter body() {
            for (MethodParameter parameter : handler.getMethodParameters()) {
                if (parameter.hasParameterAnnotation(RequestBody.class)) {
                    return parameter;
                }
            }
            return null;
        }
    }

    /**
     * @param expected the status it must get; 0 when any 4xx (or, for a read, any answer but 5xx) will do
     * @param field    the parameter a 400 must name, if any
     */
    private record Case(
            String name,
            String method,
            String path,
            String contentType,
            byte[] body,
            Map<String, String> headers,
            int expected,
            String field) {

        Case(
                String name,
                String method,
                String path,
                String contentType,
                byte[] body,
                Map<String, String> headers,
                int expected) {
            this(name, method, path, contentType, body, headers, expected, null);
        }
    }

    private record Mutation(String name, JsonNode body, boolean isNull) {}

    private record Answer(int status, String contentType, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return NODES.objectNode();
            }
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + abbreviate(body.replace('\n', ' '));
        }
    }
}
