package io.certloop.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol (a WebSocket from {@code java.net.http}):
 * navigate, run a line of JavaScript in the page (fill a form, click, read the DOM), wait for a page to load. The
 * page renders and runs as in any browser; the test reads what a person would see. Install with
 * {@code bin/install-peers chromium}.
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts Chromium with a fresh profile and connects to its first tab. */
    public static HeadlessChromium start() throws Exception {
        Path profile = Files.createTempDirectory("certloop-chromium");
        Process process = new ProcessBuilder(
                        BINARY.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--user-data-dir=" + profile,
                        "--remote-debugging-address=127.0.0.1",
                        "--remote-debugging-port=0",
                        "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            Instant deadline = Instant.now().plusSeconds(30);
            while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
                if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                    throw new IllegalStateException("Chromium did not start: " + log(profile));
                }
                Thread.sleep(100);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            String page = null;
            while (page == null) {
                JsonNode targets = JSON.readTree(http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
                for (JsonNode target : targets) {
                    if ("page".equals(target.path("type").asText())) {
                        page = target.path("webSocketDebuggerUrl").asText();
                    }
                }
                if (page == null) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("Chromium has no page: " + targets);
                    }
                    Thread.sleep(100);
                }
            }
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create(page), listener)
                    .get(10, TimeUnit.SECONDS);
            HeadlessChromium browser = new HeadlessChromium(process, profile, socket);
            listener.browser = browser;
            browser.send("Page.enable", JSON.createObjectNode());
            return browser;
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Opens {@code url} and waits until the page (after any redirects) has loaded. */
    public void navigate(String url) throws Exception {
        ObjectNode params = JSON.createObjectNode().put("url", url);
        send("Page.navigate", params);
        Thread.sleep(100);
        awaitLoaded();
    }

    /** Waits until the document has loaded and, when given, the location's path is {@code path}. */
    public void awaitLoaded(String path) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            JsonNode parsed;
            try {
                parsed = evaluateJson("{ready: document.readyState, path: location.pathname}");
            } catch (IllegalStateException navigating) {
                // the old document went away while it was asked
                parsed = JSON.createObjectNode();
            }
            if ("complete".equals(parsed.path("ready").asText())
                    && (path == null || path.equals(parsed.path("path").asText()))) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("page did not load" + (path == null ? "" : " " + path) + ": " + parsed);
            }
            Thread.sleep(100);
        }
    }

    public void awaitLoaded() throws Exception {
        awaitLoaded(null);
    }

    /** Runs {@code expression} in the page; its value (a string, number, boolean; use JSON.stringify for more). */
    public JsonNode evaluate(String expression) throws Exception {
        ObjectNode params = JSON.createObjectNode()
                .put("expression", expression)
                .put("returnByValue", true)
                .put("awaitPromise", true);
        JsonNode result = send("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("JavaScript failed: " + result.path("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Runs {@code expression} that returns JSON.stringify(...) and parses it. */
    public JsonNode evaluateJson(String expression) throws Exception {
        return JSON.readTree(evaluate("JSON.stringify(" + expression + ")").asText());
    }

    private JsonNode send(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message =
                JSON.createObjectNode().put("id", id).put("method", method).set("params", params);
        socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        JsonNode response = answer.get(30, TimeUnit.SECONDS);
        if (response.has("error")) {
            throw new IllegalStateException(method + " failed: " + response.path("error"));
        }
        return response.path("result");
    }

    @Override
    public void close() {
        socket.abort();
        // chromium's helpers (its network service, renderers) write into the profile too: stop them all before
        // the profile is deleted, or a file one of them removes meanwhile makes the walk fail
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle helper : helpers) {
            helper.destroy();
            try {
                helper.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception stillRunning) {
                helper.destroyForcibly();
            }
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String log(Path profile) {
        try {
            return Files.readString(profile.resolve("chromium.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Collects a message's frames and answers the command with its id. */
    private static final class Listener implements WebSocket.Listener {

        private final StringBuilder message = new StringBuilder();
        private volatile HeadlessChromium browser;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                try {
                    JsonNode json = JSON.readTree(message.toString());
                    if (json.has("id") && browser != null) {
                        CompletableFuture<JsonNode> answer =
                                browser.pending.remove(json.path("id").asInt());
                        if (answer != null) {
                            answer.complete(json);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    message.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
