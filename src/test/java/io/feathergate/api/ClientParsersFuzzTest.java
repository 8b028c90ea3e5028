package io.feathergate.api;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feathergate.core.CacheSettings;
import io.feathergate.core.CacheSettings.CallType;
import io.feathergate.core.CacheSettings.Scope;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.cache.LocalCacheStore;
import io.feathergate.core.cache.ResponseCache;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.exchange.ClientRequestReader;
import io.feathergate.core.responses.InMemoryResponseStore;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What clients send, fuzzed: every reader of a request body (chat completions, Anthropic's
 * messages, the Responses API, the endpoints beyond chat), the response cache's look-up of what
 * they read (its {@code cache} controls, keys, embedding items), and the reader of multipart
 * uploads either read the bytes or refuse them with a {@link GatewayException} (a 400 in the
 * client's words); anything else thrown is a crash. Each test run replays the kept inputs ({@code
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

  /** The response cache, to look every request read up in (its controls, its key, its items). */
  private static final ResponseCache CACHE =
      new ResponseCache(
          new CacheSettings(
              true,
              false,
              Duration.ofSeconds(60),
              Duration.ofSeconds(60),
              1 << 20,
              null,
              Set.of(CallType.values()),
              false,
              Scope.TEAM),
          new LocalCacheStore(1 << 20),
          System::currentTimeMillis);

  @FuzzTest(maxDuration = "10s")
  void requestBodies(byte[] body) {
    for (Supplier<ClientRequestReader> reader : READERS) {
      try {
        ChatRequest request = reader.get().read(body);
        CallType callType =
            request.nativeRequest() != null
                    && request.nativeRequest().api() == NativeApi.OPENAI_EMBEDDINGS
                ? CallType.EMBEDDING
                : CallType.CHAT;
        var unusedTicket = CACHE.open(request, "group", callType, Principal.NONE);
      } catch (GatewayException refused) {
        // the client's mistake, told in its dialect
      }
    }
  }

  /**
   * Where each form is spooled before it is read, as the gateway spools uploads: memory-backed when
   * the machine has it, since a file made and removed on disk for each input kept the fuzzer at a
   * few thousand inputs a second.
   */
  private static final Path SPOOL_DIR =
      Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"))
          ? Path.of("/dev/shm")
          : Path.of(System.getProperty("java.io.tmpdir"));

  @FuzzTest(maxDuration = "10s")
  void multipartUploads(byte[] body) throws Exception {
    Path spool = Files.createTempFile(SPOOL_DIR, "feathergate-fuzz-", ".form");
    try {
      Files.write(spool, body);
      MultipartForm.read(spool, "fuzz-boundary");
    } catch (GatewayException refused) {
      // a malformed form: a 400
    } finally {
      Files.delete(spool);
    }
  }

  /**
   * The long run of {@link #requestBodies}, for the benchmark's {@code fuzz} part: ten million
   * inputs (in a plain test run, like every fuzz test, it replays its kept inputs only).
   */
  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void requestBodiesLongRun(byte[] body) {
    requestBodies(body);
  }

  /**
   * The long run of {@link #multipartUploads}, for the benchmark's {@code fuzz} part: ten million
   * inputs (in a plain test run, like every fuzz test, it replays its kept inputs only).
   */
  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void multipartUploadsLongRun(byte[] body) throws Exception {
    multipartUploads(body);
  }
}
