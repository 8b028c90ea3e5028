package io.feathergate.api;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.exchange.ClientRequestReader;
import io.feathergate.core.responses.InMemoryResponseStore;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.NativeRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What clients send, fuzzed: every reader of a request body (chat completions, Anthropic's
 * messages, the Responses API, the endpoints beyond chat) and the reader of multipart uploads
 * either read the bytes or refuse them with a {@link GatewayException} (a 400 in the client's
 * words); anything else thrown is a crash. Each test run replays the kept inputs ({@code
 * src/test/resources/io/feathergate/api/ClientParsersFuzzTestInputs/}); {@code .ci/run} fuzzes each
 * target for a few seconds ({@code JAZZER_FUZZ=1}).
 */
class ClientParsersFuzzTest {
  private static final List<Supplier<ClientRequestReader>> READERS =
      List.of(
          () -> ChatRequests::parse,
          () -> new MessagesRequestReader(NativeRequest.Operation.CREATE, new ToolNames()),
          () -> new MessagesRequestReader(NativeRequest.Operation.COUNT_TOKENS, new ToolNames()),
          () -> {
            InMemoryResponseStore store = new InMemoryResponseStore();
            return new ResponsesRequestReader(store, null, new ResponsesTurn(store, null));
          },
          () -> BeyondChatReaders::embeddings,
          () -> BeyondChatReaders::images,
          () -> BeyondChatReaders::moderations,
          () -> BeyondChatReaders::completions,
          () -> BeyondChatReaders::rerank,
          () -> BeyondChatReaders::speech);

  @FuzzTest(maxDuration = "10s")
  void requestBodies(byte[] body) {
    for (Supplier<ClientRequestReader> reader : READERS) {
      try {
        reader.get().read(body);
      } catch (GatewayException refused) {
        // the client's mistake, told in its dialect
      }
    }
  }

  @FuzzTest(maxDuration = "10s")
  void multipartUploads(byte[] body) throws Exception {
    Path spool = Files.createTempFile("feathergate-fuzz-", ".form");
    try {
      Files.write(spool, body);
      MultipartForm.read(spool, "fuzz-boundary");
    } catch (GatewayException refused) {
      // a malformed form: a 400
    } finally {
      Files.delete(spool);
    }
  }
}
