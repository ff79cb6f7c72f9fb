package io.certloop.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.system.security.RequiresGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI description lists every {@code /api} route the controllers map (taken from Spring's own
 * handler mapping, so a new route without documentation fails here), with its request and response
 * schemas and its RFC 9457 problem answers; it and Swagger UI need a CertLoop user, like the API.
 */
class OpenApiIT extends PostgresIntegrationTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    private ApiClient auditor;
    private JsonNode docs;

    /** One mapped route: method, path pattern and the controller method behind it. */
    private record Route(String method, String path, HandlerMethod handler) {

        boolean has(Class<? extends java.lang.annotation.Annotation> annotation) {
            return Arrays.stream(handler.getMethodParameters()).anyMatch(p -> p.hasParameterAnnotation(annotation));
        }

        boolean returnsBody() {
            Class<?> type = handler.getReturnType().getParameterType();
            return type != void.class && type != Void.class;
        }

        @Override
        public String toString() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }
    }

    @BeforeEach
    void readDocs() {
        admin.ensureUser("ada", "ada-pw", "auditors");
        auditor = ApiClient.as(port, "ada", "ada-pw");
        ApiClient.Response response = auditor.get("/v3/api-docs");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        docs = response.json();
    }

    private List<Route> apiRoutes() {
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry :
                mappings.getHandlerMethods().entrySet()) {
            for (String path : entry.getKey().getPatternValues()) {
                if (!path.startsWith("/api/")) {
                    continue;
                }
                for (RequestMethod method : entry.getKey().getMethodsCondition().getMethods()) {
                    routes.add(new Route(method.name().toLowerCase(Locale.ROOT), path, entry.getValue()));
                }
            }
        }
        return routes;
    }

    @Test
    void everyApiRouteOfTheControllersIsDescribed() {
        List<Route> routes = apiRoutes();

        assertThat(routes)
                .as("routes of the controllers")
                .hasSizeGreaterThanOrEqualTo(15)
                .extracting(Route::toString)
                .contains(
                        "POST /api/probes",
                        "POST /api/alerts/alertmanager",
                        "GET /api/incidents/{id}",
                        "POST /api/inventory/import");
        for (Route route : routes) {
            assertThat(docs.path("paths").path(route.path()).has(route.method()))
                    .as("%s in /v3/api-docs", route)
                    .isTrue();
        }
        List<String> described = new ArrayList<>();
        docs.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue()
                        .fieldNames()
                        .forEachRemaining(
                                method -> described.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        assertThat(described)
                .as("only mapped routes are described")
                .containsExactlyInAnyOrderElementsOf(
                        routes.stream().map(Route::toString).toList());
    }

    @Test
    void everyOperationHasItsSchemasAndProblemAnswers() {
        for (Route route : apiRoutes()) {
            JsonNode operation = docs.path("paths").path(route.path()).path(route.method());
            JsonNode responses = operation.path("responses");
            if (route.has(RequestBody.class)) {
                JsonNode content = operation.path("requestBody").path("content");
                assertThat(content.isEmpty()).as("%s request body", route).isFalse();
                content.forEach(media -> assertThat(hasShape(media.path("schema")))
                        .as("%s request schema %s", route, media)
                        .isTrue());
            }
            List<String> codes = new ArrayList<>();
            responses.fieldNames().forEachRemaining(codes::add);
            String success = codes.stream()
                    .filter(code -> code.startsWith("2"))
                    .findFirst()
                    .orElse(null);
            assertThat(success).as("%s success answer in %s", route, codes).isNotNull();
            if (route.returnsBody() && !success.equals("204")) {
                JsonNode content = responses.path(success).path("content");
                assertThat(content.isEmpty()).as("%s response body", route).isFalse();
                content.forEach(media -> assertThat(hasShape(media.path("schema")))
                        .as("%s response schema %s", route, media)
                        .isTrue());
            }
            List<String> expected = new ArrayList<>(List.of("401", "500"));
            if (route.has(RequestBody.class) || route.has(PathVariable.class)) {
                expected.add("400");
            }
            if (route.has(PathVariable.class)) {
                expected.add("404");
            }
            if (AnnotatedElementUtils.hasAnnotation(route.handler().getMethod(), RequiresGroup.class)
                    || route.path().endsWith("/probe")
                    || route.path().equals("/api/probes")) {
                expected.add("403");
            }
            assertThat(codes).as("%s answers", route).containsAll(expected);
            for (String code : codes) {
                if (code.startsWith("4") || code.startsWith("5")) {
                    JsonNode problem = responses
                            .path(code)
                            .path("content")
                            .path("application/problem+json")
                            .path("schema");
                    if (!(route.path().endsWith("/replace") && code.equals("409"))) {
                        assertThat(problem.path("$ref").asText())
                                .as("%s %s", route, code)
                                .isEqualTo("#/components/schemas/Problem");
                    }
                }
            }
        }
    }

    @Test
    void theProblemSchemaIsRfc9457WithTheFieldsThatWereWrong() {
        JsonNode schemas = docs.path("components").path("schemas");

        JsonNode problem = schemas.path("Problem").path("properties");
        assertThat(problem.has("type")
                        && problem.has("title")
                        && problem.has("status")
                        && problem.has("detail")
                        && problem.has("instance"))
                .as(problem.toString())
                .isTrue();
        assertThat(problem.path("errors").path("items").path("$ref").asText())
                .isEqualTo("#/components/schemas/FieldError");
        assertThat(schemas.path("FieldError").path("properties").has("field")).isTrue();
        assertThat(schemas.path("FieldError").path("properties").has("message")).isTrue();
        // request and response records are described field by field
        JsonNode endpointRequest = schemas.path("EndpointRequest").path("properties");
        assertThat(endpointRequest.has("name") && endpointRequest.has("host") && endpointRequest.has("deployment"))
                .as(endpointRequest.toString())
                .isTrue();
        assertThat(docs.at("/components/securitySchemes/basicAuth/scheme").asText())
                .isEqualTo("basic");
    }

    @Test
    void theDescriptionAndSwaggerUiNeedACertLoopUser() {
        assertThat(anonymous.get("/v3/api-docs").status()).isEqualTo(401);
        assertThat(anonymous.get("/v3/api-docs.yaml").status()).isEqualTo(401);
        assertThat(anonymous.get("/v3/api-docs/swagger-config").status()).isEqualTo(401);
        assertThat(anonymous.get("/swagger-ui/index.html").status()).isEqualTo(401);
        assertThat(anonymous.get("/swagger-ui.html").status()).isEqualTo(401);

        ApiClient.Response ui = auditor.get("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
        assertThat(auditor.get("/v3/api-docs/swagger-config").body()).contains("/v3/api-docs");
    }

    /** A schema that says something: a reference to a component, or a type. */
    private boolean hasShape(JsonNode schema) {
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asText().substring("#/components/schemas/".length());
            JsonNode component = docs.path("components").path("schemas").path(name);
            return component.has("properties") || component.has("type");
        }
        if (schema.path("type").asText().equals("array")) {
            return hasShape(schema.path("items"));
        }
        return schema.has("type");
    }
}
