package io.certloop.system;

import io.certloop.system.security.Caller;
import io.certloop.system.security.RequiresGroup;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Arrays;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;

/**
 * The OpenAPI description of {@code /api} ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}).
 * Request and response schemas come from the controllers' signatures; the error answers every
 * operation can give are added here, all as RFC 9457 problem details ({@code application/problem+json},
 * schema {@code Problem}), the one dialect {@link ApiExceptionHandler} speaks. Like the API, the
 * description needs a CertLoop user (HTTP Basic), which Swagger UI's "Try it out" then reuses.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static final String PROBLEM = "Problem";
    static final String FIELD_ERROR = "FieldError";
    static final String PROBLEM_JSON = "application/problem+json";
    private static final String BASIC = "basicAuth";

    static {
        // the authenticated caller is resolved from the request, not sent by the client
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    OpenAPI certLoopOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("CertLoop API")
                        .version("v1")
                        .description(
                                "Runbook automation for TLS certificate incidents. Every call needs HTTP Basic with a CertLoop "
                                        + "user (the users and groups of Camunda Admin); writes need the group named in each "
                                        + "operation. Errors are RFC 9457 problem details naming the offending field."))
                .components(new Components()
                        .addSecuritySchemes(
                                BASIC,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("basic"))
                        .addSchemas(FIELD_ERROR, fieldErrorSchema())
                        .addSchemas(PROBLEM, problemSchema()))
                .addSecurityItem(new SecurityRequirement().addList(BASIC));
    }

    /** Adds the problem answers an operation can give and makes every error answer a {@code Problem}. */
    @Bean
    OperationCustomizer problemResponses() {
        return (operation, handler) -> {
            ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            operation.setResponses(responses);
            RequiresGroup groups = requiredGroups(handler);
            if (hasParameters(handler)) {
                add(responses, "400", "Invalid request: `errors` names each offending field");
            }
            add(responses, "401", "No or wrong HTTP Basic credentials");
            if (groups != null) {
                add(responses, "403", "The caller is in none of the groups " + String.join(", ", groups.value()));
                describeGroups(operation, groups);
            }
            if (handler.getMethod().getName().equals("probe")) {
                add(
                        responses,
                        "403",
                        "The probe target is refused (not in the inventory or the allowlist, or a "
                                + "forbidden address); `reason` says why");
            }
            if (Arrays.stream(handler.getMethodParameters())
                    .anyMatch(p -> p.hasParameterAnnotation(PathVariable.class))) {
                add(responses, "404", "No such resource");
            }
            add(responses, "500", "Server error: the details are in the log under `correlationId`");
            responses.forEach((code, response) -> {
                if (isError(code) && !isProblem(response)) {
                    response.setContent(problemContent());
                }
            });
            return operation;
        };
    }

    private static RequiresGroup requiredGroups(HandlerMethod handler) {
        RequiresGroup required = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequiresGroup.class);
        return required != null
                ? required
                : AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), RequiresGroup.class);
    }

    private static void describeGroups(Operation operation, RequiresGroup groups) {
        String note = "Needs membership in " + String.join(" or ", groups.value()) + " (administrators pass).";
        operation.setDescription(
                operation.getDescription() == null ? note : operation.getDescription() + "\n\n" + note);
    }

    private static boolean hasParameters(HandlerMethod handler) {
        return Arrays.stream(handler.getMethodParameters())
                .anyMatch(p -> p.hasParameterAnnotation(RequestBody.class)
                        || p.hasParameterAnnotation(RequestParam.class)
                        || p.hasParameterAnnotation(PathVariable.class));
    }

    private static boolean isError(String code) {
        return code.length() == 3 && (code.startsWith("4") || code.startsWith("5"));
    }

    /** Error answers that already carry a body of their own (for example replacement evidence with 409) keep it. */
    private static boolean isProblem(ApiResponse response) {
        if (response.getContent() == null || response.getContent().isEmpty()) {
            return false;
        }
        return response.getContent().values().stream()
                .map(MediaType::getSchema)
                .noneMatch(schema -> schema == null
                        || (schema.get$ref() != null && schema.get$ref().endsWith("/ProblemDetail")));
    }

    private static void add(ApiResponses responses, String code, String description) {
        if (!responses.containsKey(code)) {
            responses.addApiResponse(
                    code, new ApiResponse().description(description).content(problemContent()));
        }
    }

    private static Content problemContent() {
        return new Content()
                .addMediaType(
                        PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem details. Client errors say what is wrong and name the field; "
                        + "server errors carry only a correlation id.")
                .addProperty("type", new StringSchema().format("uri").example("about:blank"))
                .addProperty("title", new StringSchema().example("Invalid request"))
                .addProperty("status", new IntegerSchema().example(400))
                .addProperty("detail", new StringSchema().example("port: must be between 1 and 65535"))
                .addProperty(
                        "instance", new StringSchema().format("uri-reference").example("/api/probes"))
                .addProperty(
                        "errors",
                        new ArraySchema()
                                .items(new Schema<>().$ref("#/components/schemas/" + FIELD_ERROR))
                                .description("400: every offending field"))
                .addProperty("reason", new StringSchema().description("403: why the action or target is refused"))
                .addProperty("correlationId", new StringSchema().description("500: quote it; the log has the details"))
                .required(java.util.List.of("title", "status"))
                .additionalProperties(Boolean.TRUE);
    }

    @SuppressWarnings("rawtypes")
    private static Schema fieldErrorSchema() {
        return new ObjectSchema()
                .description("One thing wrong with a request")
                .addProperty(
                        "field",
                        new StringSchema()
                                .description("JSON path of the field, e.g. serviceOwner.email")
                                .example("port"))
                .addProperty("message", new StringSchema().example("must be between 1 and 65535"))
                .required(java.util.List.of("field", "message"));
    }
}
