package io.certloop.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLContext;

/** A plain HTTP client for tests: talks to the running server the way curl or a script would. */
public final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final HttpClient http;
    private final String baseUrl;
    private final String authorization;

    private ApiClient(String baseUrl, String authorization) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), baseUrl, authorization);
    }

    private ApiClient(HttpClient http, String baseUrl, String authorization) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.authorization = authorization;
    }

    /**
     * A server that listens with TLS on {@code https://localhost:port}, as this user; {@code trust} holds the CA that
     * issued its certificate (nothing else is trusted, and the name is checked).
     */
    public static ApiClient overTls(int port, SSLContext trust, String user, String password) {
        return new ApiClient(
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .sslContext(trust)
                        .build(),
                "https://localhost:" + port,
                basic(user, password));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Opens an expiry incident ("certificate expires tomorrow") for the endpoint as this user; its id. */
    public String openExpiryIncident(String endpoint) {
        Response opened = post(
                "/api/incidents",
                java.util.Map.of(
                        "endpoint",
                        endpoint,
                        "category",
                        "expiry",
                        "subcategory",
                        "expiring",
                        "reason",
                        "certificate expires tomorrow"));
        if (opened.status() != 201) {
            throw new AssertionError("opening an incident for " + endpoint + " answered " + opened);
        }
        return opened.json().path("id").asText();
    }

    public static ApiClient anonymous(int port) {
        return new ApiClient("http://127.0.0.1:" + port, null);
    }

    public static ApiClient as(int port, String user, String password) {
        return new ApiClient("http://127.0.0.1:" + port, basic(user, password));
    }

    public ApiClient withUser(String user, String password) {
        return new ApiClient(http, baseUrl, basic(user, password));
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response delete(String path) {
        return send(request(path).DELETE());
    }

    public Response post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").POST(json(body)));
    }

    public Response put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").PUT(json(body)));
    }

    public Response post(String path, String contentType, String body) {
        return send(request(path)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    /** A multipart/form-data post with one file part (how the engine API takes deployments). */
    public Response postFile(String path, Map<String, String> fields, String fileName, String content) {
        String boundary = "certloop-" + System.nanoTime();
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append("--")
                .append(boundary)
                .append("\r\n")
                .append("Content-Disposition: form-data; name=\"")
                .append(name)
                .append("\"\r\n\r\n")
                .append(value)
                .append("\r\n"));
        body.append("--")
                .append(boundary)
                .append("\r\n")
                .append("Content-Disposition: form-data; name=\"")
                .append(fileName)
                .append("\"; filename=\"")
                .append(fileName)
                .append("\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .append(content)
                .append("\r\n--")
                .append(boundary)
                .append("--\r\n");
        return post(path, "multipart/form-data; boundary=" + boundary, body.toString());
    }

    /** Creates the user unless it exists (the test context is shared between test classes). */
    public void ensureUser(String id, String password, String... groups) {
        if (get("/engine-rest/user/" + id + "/profile").status() == 404) {
            createUser(id, password, groups);
        }
    }

    /** Creates a user through the engine REST API, as an administrator would, and adds it to groups. */
    public void createUser(String id, String password, String... groups) {
        Response created = post(
                "/engine-rest/user/create",
                Map.of(
                        "profile", Map.of("id", id, "firstName", id, "lastName", "Test", "email", id + "@example.test"),
                        "credentials", Map.of("password", password)));
        if (created.status() != 204) {
            throw new IllegalStateException("cannot create user " + id + ": " + created);
        }
        for (String group : groups) {
            Response member = put("/engine-rest/group/" + group + "/members/" + id, Map.of());
            if (member.status() != 204) {
                throw new IllegalStateException("cannot add " + id + " to " + group + ": " + member);
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(120))
                .header("Accept", "application/json, application/problem+json, */*");
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Status and body of one call; {@link #json()} parses the body. */
    public record Response(int status, String body, String contentType) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (status " + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
