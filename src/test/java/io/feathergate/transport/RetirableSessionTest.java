package io.feathergate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.command.RequestExecutionCommand;
import org.apache.hc.core5.http.nio.command.ShutdownCommand;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.reactor.Command;
import org.apache.hc.core5.reactor.IOSession;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/2 session wrapper: what the pool and HttpCore's requester see of a retired connection.
 */
class RetirableSessionTest {
  private final List<String> calls = new ArrayList<>();
  private final AtomicBoolean socketOpen = new AtomicBoolean(true);

  /** A session that records what it is asked and answers isOpen with the socket's state. */
  private IOSession bareSession() {
    return (IOSession)
        Proxy.newProxyInstance(
            IOSession.class.getClassLoader(),
            new Class<?>[] {IOSession.class},
            (proxy, method, args) -> {
              calls.add(method.getName());
              return switch (method.getName()) {
                case "isOpen" -> socketOpen.get();
                case "getId" -> "c-1";
                default -> defaultValue(method.getReturnType());
              };
            });
  }

  private static Object defaultValue(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    return null;
  }

  @Test
  void everyCallReachesTheConnectionsOwnSession() throws Exception {
    RetirableSession session = new RetirableSession(bareSession());
    for (Method method : IOSession.class.getMethods()) {
      if (method.isDefault() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      calls.clear();
      Object[] args = new Object[method.getParameterCount()];
      for (int i = 0; i < args.length; i++) {
        args[i] = defaultValue(method.getParameterTypes()[i]);
      }
      method.invoke(session, args);
      assertThat(calls).as(method.toString()).containsExactly(method.getName());
    }
  }

  @Test
  void aRetiredConnectionReadsAsClosedToThePoolWhileItsSocketStaysOpen() {
    RetirableSession session = new RetirableSession(bareSession());
    assertThat(session.isOpen()).isTrue();
    session.retire();
    assertThat(session.isOpen()).isFalse();
    socketOpen.set(false);
    assertThat(session.isOpen()).isFalse();
  }

  @Test
  void theLookRightAfterQueueingACallSeesTheSocketNotTheRetirement() {
    RetirableSession session = new RetirableSession(bareSession());
    session.retire();
    session.enqueue(
        new RequestExecutionCommand(
            (AsyncClientExchangeHandler)
                Proxy.newProxyInstance(
                    AsyncClientExchangeHandler.class.getClassLoader(),
                    new Class<?>[] {AsyncClientExchangeHandler.class},
                    (proxy, method, args) -> defaultValue(method.getReturnType())),
            HttpCoreContext.create()),
        Command.Priority.NORMAL);
    // HttpCore's requester: queue, then fail the call at once if the connection reads as closed
    assertThat(session.isOpen()).isTrue();
    // the pool's next look sees the retirement again
    assertThat(session.isOpen()).isFalse();
    // other commands (the pool closing the connection, pings) are not calls
    session.enqueue(ShutdownCommand.GRACEFUL, Command.Priority.NORMAL);
    assertThat(session.isOpen()).isFalse();
  }
}
