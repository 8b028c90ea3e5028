package io.feathergate.core.events;

import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Several listeners as one; a listener that throws anyway is logged and does not stop the rest. */
public final class GatewayListeners implements GatewayListener {
  private static final Logger LOG = Logger.getLogger(GatewayListeners.class.getName());

  private final GatewayListener[] listeners;

  private GatewayListeners(List<GatewayListener> listeners) {
    this.listeners = listeners.toArray(GatewayListener[]::new);
  }

  public static GatewayListener of(List<GatewayListener> listeners) {
    return listeners.isEmpty() ? NONE : new GatewayListeners(listeners);
  }

  @Override
  public void requestStarted() {
    for (GatewayListener listener : listeners) {
      try {
        listener.requestStarted();
      } catch (RuntimeException e) {
        report(listener, e);
      }
    }
  }

  @Override
  public void upstreamAttemptFinished(Deployment deployment, GatewayException failure) {
    for (GatewayListener listener : listeners) {
      try {
        listener.upstreamAttemptFinished(deployment, failure);
      } catch (RuntimeException e) {
        report(listener, e);
      }
    }
  }

  @Override
  public void deploymentCooledDown(Deployment deployment, int status) {
    for (GatewayListener listener : listeners) {
      try {
        listener.deploymentCooledDown(deployment, status);
      } catch (RuntimeException e) {
        report(listener, e);
      }
    }
  }

  @Override
  public void requestFinished(RequestRecord record) {
    for (GatewayListener listener : listeners) {
      try {
        listener.requestFinished(record);
      } catch (RuntimeException e) {
        report(listener, e);
      }
    }
  }

  private static void report(GatewayListener listener, RuntimeException e) {
    LOG.log(Level.WARNING, "listener " + listener.getClass().getName() + " failed", e);
  }
}
