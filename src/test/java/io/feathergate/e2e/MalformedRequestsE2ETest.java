package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests the gateway cannot serve as sent: broken body framing, bodies that stop or never end,
 * paths and methods nothing answers. Each gets an OpenAI error body with the request's id, and the
 * chat route's failures an access-log line like any other request.
 */
class MalformedRequestsE2ETest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String BODY =
      "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  static final Duration READ_LIMIT = Duration.ofSeconds(15);

  static GatewayServer gateway;
  static final List<String> accessLog = new CopyOnWriteArrayList<>();
  static final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          accessLog.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** Held strongly: JUL keeps loggers only weakly, and a collected one loses its handler. */
  static final Logger ACCESS_LOG = Logger.getLogger("io.feathergate.access");

  @BeforeAll
  static void start() throws Exception {
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: demo
                litellm_params:
                  model: openai/demo
                  mock_response: "Hello from the mock model"
            general_settings:
              request_body_timeout: 1
            """);
    ACCESS_LOG.addHandler(capture);
  }

  @AfterAll
  static void stop() throws Exception {
    ACCESS_LOG.removeHandler(capture);
    gateway.close();
  }

  static String chunkedHead(String requestId) {
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        + "x-request-id: "
        + requestId
        + "\r\n\r\n";
  }

  static String chunk(String data) {
    return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
  }

  static RawHttp.Response send(String request) throws Exception {
    return RawHttp.exchange(gateway.port(), request, false, READ_LIMIT);
  }

  /**
   * An OpenAI error body of this status and type, carrying the request id of the {@code
   * x-request-id} header, and nothing that names the server or a Java class.
   */
  static JsonNode assertOpenAiError(RawHttp.Response response, int status, String type)
      throws Exception {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.header("content-type"))
        .as(response.toString())
        .startsWith("application/json");
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error).as(response.body()).isNotNull();
    assertThat(error.get("type").asText()).isEqualTo(type);
    assertThat(error.get("code").asText()).isEqualTo(Integer.toString(status));
    assertThat(error.has("param") && error.get("param").isNull()).isTrue();
    assertThat(error.get("message").asText()).isNotBlank();
    String id = response.header("x-request-id");
    assertThat(response.header("x-content-type-options"))
        .as(response.toString())
        .isEqualTo("nosniff");
    assertThat(id).as(response.toString()).isNotBlank();
    assertThat(error.get("request_id").asText()).isEqualTo(id);
    // the Server header is the container's, set by whoever runs it (the standalone sends none)
    Map<String, String> headers = new HashMap<>(response.headers());
    headers.remove("server");
    assertThat(response.body() + headers)
        .doesNotContainIgnoringCase("jetty")
        .doesNotContain("org.eclipse")
        .doesNotContain("java.")
        .doesNotContain("io.feathergate")
        .doesNotContain("Exception");
    return error;
  }

  /** The access-log record of this request, once the log's writer thread got to it. */
  static JsonNode awaitAccessRecord(String requestId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      List<String> lines =
          accessLog.stream().filter(l -> l.contains("\"" + requestId + "\"")).toList();
      if (!lines.isEmpty()) {
        assertThat(lines).hasSize(1);
        return JSON.readTree(lines.get(0));
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no access-log line for " + requestId + " in " + accessLog);
  }

  static void assertBadFraming(RawHttp.Response response, String requestId) throws Exception {
    assertOpenAiError(response, 400, "invalid_request_error");
    assertThat(response.header("x-request-id")).isEqualTo(requestId);
    JsonNode logged = awaitAccessRecord(requestId);
    assertThat(logged.get("status").asInt()).isEqualTo(400);
    assertThat(logged.get("route").asText()).isEqualTo("/v1/chat/completions");
  }

  // ---- broken framing of a chat request's body ----

  @Test
  void aChunkSizeThatIsNotHexIsA400() throws Exception {
    String id = "framing-bad-size";
    assertBadFraming(send(chunkedHead(id) + "zz\r\n" + BODY + "\r\n0\r\n\r\n"), id);
  }

  @Test
  void aChunkSizeTooLargeToRepresentIsA400() throws Exception {
    String id = "framing-huge-size";
    assertBadFraming(send(chunkedHead(id) + "fffffffffffffffff\r\n" + BODY + "\r\n0\r\n\r\n"), id);
  }

  @Test
  void aMalformedChunkExtensionIsA400() throws Exception {
    String id = "framing-bad-extension";
    String size = Integer.toHexString(BODY.length());
    assertBadFraming(send(chunkedHead(id) + size + ";\u0001=\"\r\n" + BODY + "\r\n0\r\n\r\n"), id);
  }

  @Test
  void aMalformedTrailerIsA400() throws Exception {
    String id = "framing-bad-trailer";
    assertBadFraming(send(chunkedHead(id) + chunk(BODY) + "0\r\nno colon here\r\n\r\n"), id);
  }

  @Test
  void chunkLinesEndedByABareLineFeedAreA400() throws Exception {
    String id = "framing-bare-lf";
    String size = Integer.toHexString(BODY.length());
    assertBadFraming(send(chunkedHead(id) + size + "\n" + BODY + "\n0\n\n"), id);
  }

  @Test
  void aChunkWithoutItsLineEndIsA400() throws Exception {
    String id = "framing-no-crlf";
    String size = Integer.toHexString(BODY.length());
    assertBadFraming(send(chunkedHead(id) + size + "\r\n" + BODY + "XX0\r\n\r\n"), id);
  }

  @Test
  void aBodyShorterThanItsContentLengthThenAHalfCloseIsA400() throws Exception {
    String id = "framing-short-body";
    String request =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\nx-request-id: "
            + id
            + "\r\nContent-Length: "
            + (BODY.length() + 100)
            + "\r\n\r\n"
            + BODY;
    assertBadFraming(RawHttp.exchange(gateway.port(), request, true, READ_LIMIT), id);
  }

  @Test
  void aChunkedBodyCutOffByAHalfCloseIsA400() throws Exception {
    String id = "framing-chunked-half-close";
    String request = chunkedHead(id) + chunk(BODY.substring(0, 10));
    assertBadFraming(RawHttp.exchange(gateway.port(), request, true, READ_LIMIT), id);
  }

  @Test
  void aChunkedBodyThatNeverEndsIsA408AfterTheBodyTimeout() throws Exception {
    String id = "framing-never-ends";
    long start = System.nanoTime();
    // the client keeps the connection open and sends nothing after the first chunk
    RawHttp.Response response = send(chunkedHead(id) + chunk(BODY.substring(0, 10)));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    JsonNode error = assertOpenAiError(response, 408, "invalid_request_error");
    assertThat(error.get("message").asText()).contains("request_body_timeout");
    assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
    assertThat(response.header("connection")).isEqualToIgnoringCase("close");
    JsonNode logged = awaitAccessRecord(id);
    assertThat(logged.get("status").asInt()).isEqualTo(408);
  }

  @Test
  void aBodyThatTricklesInWithinTheTimeoutIsServed() throws Exception {
    String id = "framing-slow-but-steady";
    try (java.net.Socket socket =
        new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), gateway.port())) {
      socket.setSoTimeout((int) READ_LIMIT.toMillis());
      java.io.OutputStream out = socket.getOutputStream();
      out.write(chunkedHead(id).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      // four pieces 600 ms apart: longer in all than the 1 s timeout, never silent for that long
      int piece = BODY.length() / 4 + 1;
      for (int i = 0; i < BODY.length(); i += piece) {
        out.write(
            chunk(BODY.substring(i, Math.min(BODY.length(), i + piece)))
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(600);
      }
      out.write("0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      RawHttp.Response response = RawHttp.read(socket.getInputStream());
      assertThat(response.status()).as(response.toString()).isEqualTo(200);
      assertThat(response.body()).contains("Hello from the mock model");
    }
    assertThat(awaitAccessRecord(id).get("status").asInt()).isEqualTo(200);
  }

  @Test
  void aWellFramedChunkedRequestStillWorks() throws Exception {
    String id = "framing-good";
    RawHttp.Response response = send(chunkedHead(id) + chunk(BODY) + "0\r\n\r\n");
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.body()).contains("Hello from the mock model");
    assertThat(awaitAccessRecord(id).get("status").asInt()).isEqualTo(200);
  }

  // ---- errors outside the gateway's routes ----

  static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  }

  @Test
  void theWebappsPrivateDirectoriesAreJson404s() throws Exception {
    for (String path :
        List.of(
            "/WEB-INF/web.xml",
            "/WEB-INF/",
            "/WEB-INF",
            "/META-INF/MANIFEST.MF",
            "/META-INF/",
            "/web-inf/web.xml",
            "/WEB-INF/classes/io/feathergate/api/RequestIdFilter.class")) {
      RawHttp.Response response = send(get(path));
      assertThat(assertOpenAiError(response, 404, "invalid_request_error").get("message").asText())
          .as(path)
          .contains("Not found");
    }
  }

  @Test
  void otherMethodsOnMetricsAreJson405sNamingGet() throws Exception {
    for (String method : List.of("PUT", "POST", "DELETE", "PATCH", "OPTIONS")) {
      RawHttp.Response response =
          send(
              method
                  + " /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                  + "Connection: close\r\n\r\n");
      assertOpenAiError(response, 405, "invalid_request_error");
      assertThat(response.header("allow")).as(method).isEqualTo("GET, HEAD");
    }
    RawHttp.Response metrics = send(get("/metrics"));
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    assertThat(metrics.header("x-request-id")).isNotBlank();
  }

  @Test
  void theErrorPageRendersAnyStatusAsJsonAndIsNoRouteOfItsOwn() throws Exception {
    RawHttp.Response direct = send(get("/feathergate-error"));
    assertOpenAiError(direct, 404, "invalid_request_error");
  }
}
