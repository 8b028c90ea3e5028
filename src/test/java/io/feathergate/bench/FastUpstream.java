package io.feathergate.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * An OpenAI-compatible upstream that answers at once with a fixed completion: the baseline every
 * gateway figure is compared with. Jetty core handler, no servlet layer, keep-alive.
 */
final class FastUpstream implements AutoCloseable {
  static final byte[] COMPLETION =
      ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1741569952,"
              + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
              + "\"content\":\"Hello! How can I assist you today?\",\"refusal\":null},\"logprobs\":null,"
              + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,"
              + "\"total_tokens\":29}}")
          .getBytes(StandardCharsets.UTF_8);

  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);

  FastUpstream() throws Exception {
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract.NonBlocking() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            // drain the request body, then answer
            Content.Source.consumeAll(
                request,
                Callback.from(
                    () -> {
                      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                      response.write(true, ByteBuffer.wrap(COMPLETION), callback);
                    },
                    callback::failed));
            return true;
          }
        });
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + connector.getLocalPort() + "/v1";
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
