package io.feathergate.transport;

import io.feathergate.core.spi.UpstreamRequest;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many calls each upstream carries as HTTP/2 streams at once, against the deployment's limit.
 */
final class Http2Streams {
  private final ConcurrentHashMap<String, AtomicInteger> perUpstream = new ConcurrentHashMap<>();

  /**
   * Takes the call as an HTTP/2 stream when its deployment allows HTTP/2 and its upstream has room;
   * returns the upstream's stream count to decrement when the call ends, or null for HTTP/1.1.
   */
  AtomicInteger tryAdmit(UpstreamRequest request) {
    if (!request.http2().enabled()) {
      return null;
    }
    AtomicInteger streams =
        perUpstream.computeIfAbsent(origin(request.uri()), key -> new AtomicInteger());
    if (streams.incrementAndGet() > request.http2().maxStreams()) {
      streams.decrementAndGet();
      return null;
    }
    return streams;
  }

  private static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }
}
