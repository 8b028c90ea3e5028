package io.feathergate.api;

import io.feathergate.core.GatewayConfig;
import io.feathergate.core.RedisStatus;
import io.feathergate.core.auth.Authenticator;
import io.feathergate.core.cache.ResponseCache;
import io.feathergate.core.exchange.ChatCompletionService;
import io.feathergate.core.keys.KeyService;
import io.feathergate.core.keys.SpendLedger;
import io.feathergate.core.keys.StoreHealth;
import io.feathergate.core.keys.TeamsAndUsers;
import io.feathergate.core.responses.ResponseStore;
import io.feathergate.core.routing.DeploymentDirectory;
import io.feathergate.core.routing.DeploymentHealth;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the HTTP edge needs from the rest of the gateway, published once by the composition root as
 * a servlet context attribute.
 *
 * @param config the configuration in force
 * @param directory the model groups and their deployments
 * @param chat the chat-completion service
 * @param version the gateway's version, for health answers
 * @param health each deployment's state, for {@code /health}
 * @param liveFeed the finished requests, for {@code /admin/events}
 * @param bodyTimer runs the {@code request_body_timeout} of request bodies that arrive slowly
 * @param authenticator who a presented key belongs to
 * @param responses the Responses API's responses, for {@code previous_response_id} and reading them
 *     back
 * @param management key, team and user management, or null on a gateway without a master key
 * @param redis the Redis the replicas share, or null when this gateway keeps its state alone
 * @param cache the response cache, or null when it is off
 * @param memory refuses new requests while the JVM is short of memory
 */
public record ApiServices(
    GatewayConfig config,
    DeploymentDirectory directory,
    ChatCompletionService chat,
    String version,
    DeploymentHealth health,
    LiveFeed liveFeed,
    ScheduledExecutorService bodyTimer,
    Authenticator authenticator,
    ResponseStore responses,
    Management management,
    RedisStatus redis,
    ResponseCache cache,
    MemoryGuard memory) {

  public static final String ATTRIBUTE = ApiServices.class.getName();

  /**
   * What the management routes and health answers use.
   *
   * @param keys keys and spend
   * @param teamsAndUsers teams and users
   * @param database whether the key database answers
   * @param ledger spend not yet written, for health
   */
  public record Management(
      KeyService keys, TeamsAndUsers teamsAndUsers, StoreHealth database, SpendLedger ledger) {}

  /**
   * While the gateway starts, a {@code CompletableFuture<ApiServices>} under this name: completed
   * with the services, with null when the configuration is unusable, exceptionally when starting
   * failed otherwise.
   */
  public static final String STARTING = ApiServices.class.getName() + ".starting";

  /** How long a request arriving during start-up waits for it. */
  private static final long START_WAIT_SECONDS = 60;

  /**
   * The services of this web application, or null when the gateway failed to start. A request that
   * arrives while the gateway is still starting waits for it.
   */
  public static ApiServices of(ServletContext context) {
    Object services = context.getAttribute(ATTRIBUTE);
    if (services == null && context.getAttribute(STARTING) instanceof CompletableFuture<?> start) {
      try {
        services = start.get(START_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return (ApiServices) services;
  }

  /**
   * Waits for the start-up to finish and rethrows what made it fail, so that the container sees a
   * deployment that cannot work as failed, as it would have seen the exception from the listener
   * itself.
   */
  public static void awaitStart(ServletContext context) throws ServletException {
    if (context.getAttribute(STARTING) instanceof CompletableFuture<?> start) {
      try {
        start.get();
      } catch (ExecutionException e) {
        throw new UnavailableException("FeatherGate failed to start: " + e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted while FeatherGate was starting");
      }
    }
  }
}
