package io.feathergate.api;

import io.feathergate.core.GatewayListener;
import io.feathergate.core.RequestRecord;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The access log, one JSON line per finished request on the JUL logger {@code
 * io.feathergate.access} at INFO (set that logger to OFF to turn it off), and the live feed.
 * Nothing is serialised on the request thread unless the log is on.
 */
public final class RequestLog implements GatewayListener {
  public static final String LOGGER = "io.feathergate.access";
  private static final Logger LOG = Logger.getLogger(LOGGER);

  private final LiveFeed feed;

  public RequestLog(LiveFeed feed) {
    this.feed = feed;
  }

  @Override
  public void requestFinished(RequestRecord record) {
    if (LOG.isLoggable(Level.INFO)) {
      LOG.info(AccessRecords.toJson(record));
    }
    feed.publish(record);
  }
}
