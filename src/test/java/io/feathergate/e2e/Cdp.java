package io.feathergate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A page of a headless Chromium driven over the DevTools protocol: evaluate JavaScript in it and
 * wait for a condition, as a user's clicks would change it. Only what the page tests need.
 */
final class Cdp implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  private Cdp(String webSocketUrl) throws Exception {
    this.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create(webSocketUrl), new Listener())
            .get(10, TimeUnit.SECONDS);
  }

  /** The first page of the browser whose DevTools listen on {@code port}. */
  static Cdp firstPage(int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        String list =
            http.send(
                    java.net.http.HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/json/list"))
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        for (JsonNode target : JSON.readTree(list)) {
          if ("page".equals(target.path("type").asText())) {
            return new Cdp(target.get("webSocketDebuggerUrl").asText());
          }
        }
      } catch (java.io.IOException e) {
        // the browser is still starting
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("chromium's DevTools did not answer within 30 s");
      }
      Thread.sleep(100);
    }
  }

  JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    socket.sendText(message.toString(), true).get(10, TimeUnit.SECONDS);
    JsonNode result = answer.get(30, TimeUnit.SECONDS);
    if (result.has("error")) {
      throw new AssertionError(method + " failed: " + result.get("error"));
    }
    return result.get("result");
  }

  void navigate(String url) throws Exception {
    call("Page.navigate", JSON.createObjectNode().put("url", url));
  }

  /** The value of a JavaScript expression in the page (promises awaited). */
  JsonNode eval(String expression) throws Exception {
    JsonNode result =
        call(
            "Runtime.evaluate",
            JSON.createObjectNode()
                .put("expression", expression)
                .put("returnByValue", true)
                .put("awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new AssertionError(expression + " threw: " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** Waits, at most 20 seconds, until {@code condition} is true in the page. */
  void waitFor(String condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        if (eval("Boolean(" + condition + ")").asBoolean()) {
          return;
        }
      } catch (AssertionError e) {
        // the page is between two documents
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "never true in the page: "
            + condition
            + "; error shown: "
            + eval(
                "document.getElementById('error') && document.getElementById('error').textContent"));
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(partial.toString());
          if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
            if (answer != null) {
              answer.complete(message);
            }
          }
        } catch (java.io.IOException e) {
          // not JSON: not an answer
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
