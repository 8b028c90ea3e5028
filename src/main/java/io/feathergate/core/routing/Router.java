package io.feathergate.core.routing;

import io.feathergate.core.Deployment;
import io.feathergate.core.RouterSettings;
import io.feathergate.core.RouterSettings.ErrorClass;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.events.GatewayListener;
import io.feathergate.core.events.RequestRecord;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ModelModes;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.TokenUsage;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * LiteLLM's Router: picks a deployment of the requested group by the configured strategy within its
 * {@code order} tiers, skips deployments that are cooling down or at their limits, and plans each
 * request's retries and fallbacks ({@link RouterPlan}). It also listens to the outcome of every
 * attempt, to cool failing deployments down, and of every request, to count tokens and latency.
 */
public final class Router implements GatewayListener {
  static final long MINUTE_MILLIS = 60_000;

  /** Retries when no {@code num_retries} is configured: LiteLLM's {@code DEFAULT_MAX_RETRIES}. */
  static final int DEFAULT_RETRIES = 2;

  final DeploymentDirectory directory;
  final RouterSettings settings;
  final Clock clock;
  final Supplier<RandomGenerator> random;
  final long latencyTtlMillis;
  private final Map<String, ModelGroup> groups = new HashMap<>();
  private final Map<String, Member> membersById = new HashMap<>();
  private final GatewayListener events;
  private final boolean countTokens;

  /** Whether a pick may wait on the replicas' shared counters. */
  final boolean remoteCounters;

  /**
   * @param counters where the counts live
   * @param random the random source of each pick ({@code ThreadLocalRandom::current} in service)
   * @param events told when a deployment starts cooling down
   */
  public Router(
      DeploymentDirectory directory,
      RouterSettings settings,
      DeploymentCounters counters,
      Clock clock,
      Supplier<RandomGenerator> random,
      GatewayListener events) {
    this.directory = directory;
    this.settings = settings;
    this.clock = clock;
    this.random = random;
    this.events = events;
    this.latencyTtlMillis = Math.max(1, settings.latencyTtl().toMillis());
    boolean anyTpm = false;
    for (List<Deployment> deployments : directory.allGroups()) {
      String name = deployments.get(0).modelGroup();
      ModelGroup group =
          new ModelGroup(name, deployments, counters, settings.defaultMaxParallelRequests());
      groups.put(name, group);
      for (Member member : group.members) {
        membersById.putIfAbsent(member.deployment.id(), member);
        anyTpm |= member.tpm > 0;
      }
    }
    this.countTokens = anyTpm || settings.strategy() == RouterSettings.RoutingStrategy.USAGE_BASED;
    this.remoteCounters = counters.remote();
  }

  /**
   * Plans one request: finds its group and reads the routing fields of its body.
   *
   * @param apiRoute the route the client called, for error messages
   * @throws GatewayException 400 when no group serves the requested model, or the routing fields
   *     are malformed
   */
  public AttemptPlan plan(ChatRequest request, String apiRoute) {
    String requested = request.model();
    ModelGroup group = group(requested);
    if (group == null) {
      throw GatewayException.unknownModel(apiRoute, requested);
    }
    checkMode(group, request);
    return new RouterPlan(
        this, group, directory.servedName(requested), request, RequestRouting.of(request));
  }

  /**
   * Refuses a request that no deployment of the group serves by its {@code model_info.mode} (a chat
   * request to an embedding model), pointing to the route that serves it.
   */
  private static void checkMode(ModelGroup group, ChatRequest request) {
    NativeApi api = request.nativeRequest() == null ? null : request.nativeRequest().api();
    String mode = null;
    for (Member member : group.members) {
      mode = member.deployment.mode();
      if (ModelModes.serves(mode, api)) {
        return;
      }
    }
    String route = mode == null ? null : ModelModes.routeFor(mode);
    throw GatewayException.badRequest(
        "Model group "
            + group.name
            + " serves "
            + mode
            + " models (model_info.mode), not this endpoint"
            + (route == null ? "." : ": call " + route + "."),
        "model");
  }

  /** The request as upstreams get it: without the fields that were for the router. */
  /**
   * The fields of a client's body that are for the router ({@code fallbacks}, {@code
   * context_window_fallbacks}, {@code num_retries}), whatever API the client speaks.
   */
  public static final List<String> REQUEST_FIELDS = RequestRouting.FIELDS;

  public static ChatRequest forUpstream(ChatRequest request) {
    return RequestRouting.withoutRoutingFields(request);
  }

  /** The name of the group that serves a requested model, or null when none does. */
  public String groupName(String requested) {
    return directory.groupName(requested);
  }

  /** See {@link DeploymentDirectory#answeringModel}. */
  public String answeringModel(String requested) {
    return directory.answeringModel(requested);
  }

  /** The group serving a requested or fallback name, or null. */
  ModelGroup group(String name) {
    String groupName = directory.groupName(name);
    return groupName == null ? null : groups.get(groupName);
  }

  /** When a deployment's cooldown ends, in epoch milliseconds, or 0 when it is not cooling. */
  public long cooldownUntil(Deployment deployment) {
    Member member = membersById.get(deployment.id());
    if (member == null) {
      return 0;
    }
    long until = member.counter.cooldownUntil();
    return until > clock.millis() ? until : 0;
  }

  @Override
  public void upstreamAttemptFinished(Deployment deployment, GatewayException failure) {
    Member member = membersById.get(deployment.id());
    if (member == null) {
      return;
    }
    long now = clock.millis();
    boolean counts = failure != null && countsAsFailure(failure);
    long outcome = member.counter.recordOutcome(now / MINUTE_MILLIS, counts);
    if (!counts || settings.disableCooldowns() || member.groupSize <= 1) {
      return;
    }
    if (shouldCoolDown(failure, outcome)) {
      Duration cooldown = deployment.routing().cooldownTime();
      long until = now + (cooldown != null ? cooldown : settings.cooldownTime()).toMillis();
      if (member.counter.coolDownUntil(until, now)) {
        events.deploymentCooledDown(deployment, failure.status());
      }
    }
  }

  /**
   * A failure that says something about the deployment: a client's bad request (400, 413, 422)
   * would fail anywhere, and does not count against it.
   */
  static boolean countsAsFailure(GatewayException failure) {
    if (failure.notSent()) {
      return false; // the upstream never saw it
    }
    int status = failure.status();
    return status >= 500
        || status == 401
        || status == 403
        || status == 404
        || status == 408
        || status == 429;
  }

  /**
   * LiteLLM's rule: with {@code allowed_fails} (or its policy for the failure's class), more
   * failures this minute than allowed; without, an auth failure, a missing model, a timeout or a
   * rate limit at once, and otherwise more than half of this minute's calls failing, never on the
   * first call of the minute.
   */
  private boolean shouldCoolDown(GatewayException failure, long outcome) {
    int failures = DeploymentCounters.failures(outcome);
    int calls = DeploymentCounters.calls(outcome);
    ErrorClass errorClass = Failures.errorClass(failure);
    Integer allowed = settings.allowedFailsPolicy().get(errorClass);
    if (allowed == null) {
      allowed = settings.allowedFails();
    }
    if (allowed != null) {
      return failures > allowed;
    }
    int status = failure.status();
    if (status == 401 || status == 404 || status == 408 || status == 429) {
      return true;
    }
    return calls > 1 && failures * 2 > calls;
  }

  @Override
  public void requestFinished(RequestRecord record) {
    Deployment deployment = record.deployment();
    boolean latencyBased = settings.strategy() == RouterSettings.RoutingStrategy.LATENCY_BASED;
    if (deployment == null || record.failed() || !(countTokens || latencyBased)) {
      return;
    }
    Member member = membersById.get(deployment.id());
    if (member == null) {
      return;
    }
    long now = clock.millis();
    TokenUsage usage = record.usage();
    if (countTokens && usage != null) {
      member.counter.addTokens(now / MINUTE_MILLIS, usage.totalTokens());
    }
    if (latencyBased) {
      if (record.stream() && record.timeToFirstTokenNanos() >= 0) {
        member.recordFirstToken(record.timeToFirstTokenNanos(), now, latencyTtlMillis);
      } else if (!record.stream() && record.upstreamNanos() >= 0) {
        member.recordLatency(record.upstreamNanos(), now, latencyTtlMillis);
      }
    }
  }
}
