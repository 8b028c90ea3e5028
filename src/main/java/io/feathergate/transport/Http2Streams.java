package io.feathergate.transport;

import io.feathergate.core.UpstreamRequest;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls carried as HTTP/2 streams: how many each upstream has at once (admission against the
 * deployment's limit) and which of them have gone silent for longer than their timeout.
 */
final class Http2Streams {
  private final ConcurrentHashMap<String, AtomicInteger> perUpstream = new ConcurrentHashMap<>();
  private final Set<UpstreamExchange> active = ConcurrentHashMap.newKeySet();

  /**
   * Takes the exchange as an HTTP/2 stream when its deployment allows HTTP/2 and its upstream has
   * room; false sends it over HTTP/1.1.
   */
  boolean tryAdmit(UpstreamExchange exchange) {
    UpstreamRequest request = exchange.request();
    if (!request.http2().enabled()) {
      return false;
    }
    AtomicInteger streams =
        perUpstream.computeIfAbsent(origin(request.uri()), key -> new AtomicInteger());
    if (streams.incrementAndGet() > request.http2().maxStreams()) {
      streams.decrementAndGet();
      return false;
    }
    active.add(exchange);
    exchange.whenFinished(
        () -> {
          active.remove(exchange);
          streams.decrementAndGet();
        });
    return true;
  }

  /** Fails the streams that have received nothing for longer than their idle timeout. */
  void expireSilent() {
    long now = System.nanoTime();
    for (UpstreamExchange exchange : active) {
      exchange.expireIfSilent(now);
    }
  }

  private static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }
}
