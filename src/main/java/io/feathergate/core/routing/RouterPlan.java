package io.feathergate.core.routing;

import io.feathergate.core.Deployment;
import io.feathergate.core.DeploymentNames;
import io.feathergate.core.RouterSettings;
import io.feathergate.core.RouterSettings.ErrorClass;
import io.feathergate.core.RouterSettings.RetryPolicy;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ModelModes;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.PromptEstimate;
import io.feathergate.core.spi.Route;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The attempts of one request under the {@link Router}: a pick in the requested group; after a
 * failure, a retry on another deployment of the group (or the same one after a backoff, when it is
 * the only one left), within the retries allowed; then the fallback groups, each with its own
 * retries, up to {@code max_fallbacks}. A prompt too long for its deployment goes straight to the
 * context-window fallbacks, a refused one to the content-policy fallbacks.
 */
final class RouterPlan implements AttemptPlan, Strategies.Eligibility {
  private static final VarHandle LEASE;

  static {
    try {
      LEASE = MethodHandles.lookup().findVarHandle(RouterPlan.class, "lease", Member.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Router router;
  private final RouterSettings settings;
  private final RequestRouting requestRouting;
  private final String requestedModel;
  private final String primaryGroup;
  private final boolean stream;
  private final long promptTokens;

  /** The API of the request, which deployments of another mode do not serve; null for chat. */
  private final NativeApi api;

  private ModelGroup group;
  private String servedName;
  private boolean[] tried;
  private Member current;
  private int retriesInGroup;
  private int sameDeploymentRetries;
  private int retries;
  private int fallbacks;
  private int resends;

  /** The wait before the second resend; the third waits twice as long. */
  static final long RESEND_WAIT_MILLIS = 10;

  private List<String> fallbackQueue;
  private int fallbackIndex;
  private long delayMillis;

  // the clock of the pick under way, read by eligible()
  private long now;
  private long minute;

  /** The deployment whose call is running, until it ends; released exactly once. */
  @SuppressWarnings("unused") // through LEASE
  private volatile Member lease;

  RouterPlan(
      Router router,
      ModelGroup group,
      String servedName,
      ChatRequest request,
      RequestRouting requestRouting) {
    this.router = router;
    this.settings = router.settings;
    this.requestRouting = requestRouting;
    this.requestedModel = request.model();
    this.group = group;
    this.primaryGroup = group.name;
    this.servedName = servedName;
    this.stream = request.stream();
    this.api = request.nativeRequest() == null ? null : request.nativeRequest().api();
    this.promptTokens = settings.enablePreCallChecks() ? PromptEstimate.tokens(request) : 0;
  }

  @Override
  public Route first() {
    clockNow();
    Route route = pick();
    if (route != null) {
      return route;
    }
    ModelGroup primary = group;
    GatewayException refusal = unavailable(primary);
    // LiteLLM falls back when a group has nothing available, as after any failure
    route = fallBack(fallbacksFor(refusal));
    if (route != null) {
      return route;
    }
    throw refusal;
  }

  @Override
  public boolean nextMayWait() {
    return router.remoteCounters;
  }

  @Override
  public Route next(Route failed, GatewayException failure) {
    delayMillis = 0;
    clockNow();
    Member failedMember = current;
    if (failure.notSent() && resends < NOT_SENT_RESENDS && failedMember != null) {
      // never received: sent again, transparently, whatever the retries allow; at once the first
      // time, then after a few milliseconds: a pooled connection the upstream closed can be handed
      // out again until its close has been seen, and would fail each resend at once (an HTTP/2
      // connection retired by GOAWAY is not: the transport takes it out of its pool at once)
      delayMillis = RESEND_WAIT_MILLIS * resends;
      resends++;
      if (failedMember.counter.tryAcquire(minute, 0, 0)) {
        lease(failedMember);
        return failed;
      }
      delayMillis = 0;
    }
    markTried(failedMember);
    if (Failures.contextWindowExceeded(failure)) {
      return fallBack(fallbacksFor(failure)); // every retry would meet the same window
    }
    if (retriesInGroup < retriesAllowed(failure, failedMember)) {
      Route route = pick();
      if (route != null) {
        delayMillis = settings.retryAfter().toMillis();
      } else if (sameDeploymentRetries < sameDeploymentRetriesAllowed(failedMember)
          && failedMember.counter.cooldownUntil() <= now
          && acquire(failedMember)) {
        // the only deployment left is the one that failed: wait as the upstream asked, or back off
        route = routeOf(failedMember);
        delayMillis =
            Backoff.delayMillis(
                sameDeploymentRetries,
                Failures.retryAfterMillis(failure),
                settings.retryAfter(),
                router.random.get());
        sameDeploymentRetries++;
      }
      if (route != null) {
        retriesInGroup++;
        retries++;
        return route;
      }
    }
    if (Failures.errorClass(failure) == ErrorClass.BAD_REQUEST) {
      return null; // the request itself is wrong: another group would refuse it too
    }
    return fallBack(fallbacksFor(failure));
  }

  @Override
  public long delayMillis() {
    return delayMillis;
  }

  @Override
  public void attemptEnded() {
    Member ended = (Member) LEASE.getAndSet(this, null);
    if (ended != null) {
      ended.counter.release();
    }
  }

  @Override
  public int retries() {
    return retries;
  }

  @Override
  public int fallbacks() {
    return fallbacks;
  }

  @Override
  @SuppressWarnings("ReferenceEquality") // the very deployment the plan named, not an equal one
  public Map<String, String> routingHeaders(Deployment deployment) {
    Member member = current;
    return retries == 0 && fallbacks == 0 && member != null && member.deployment == deployment
        ? member.firstAttemptHeaders
        : RoutingHeaders.of(deployment, retries, fallbacks);
  }

  @Override
  public String primaryModelGroup() {
    return primaryGroup;
  }

  @Override
  public boolean eligible(Member member) {
    return (tried == null || !tried[member.index])
        && (member.deployment.mode() == null || ModelModes.serves(member.deployment.mode(), api))
        && member.available(now, minute, promptTokens);
  }

  private void clockNow() {
    now = router.clock.millis();
    minute = now / Router.MINUTE_MILLIS;
  }

  /**
   * A deployment of the current group, lowest tier first, by the strategy; null when none is
   * available. A deployment that reached a limit between the pick and its acquisition (another
   * request was quicker) is passed over.
   */
  private Route pick() {
    for (Member[] tier : group.tiers) {
      for (int tries = 0; tries < tier.length; tries++) {
        Member member = choose(tier);
        if (member == null) {
          break;
        }
        if (acquire(member)) {
          return routeOf(member);
        }
        markTried(member);
      }
    }
    return null;
  }

  /** One decision in {@code tier} with this plan's clock reading, for the routing benchmark. */
  Route pickForBenchmark(Member[] tier) {
    clockNow();
    Member member = choose(tier);
    return member != null && acquire(member) ? routeOf(member) : null;
  }

  private Member choose(Member[] tier) {
    // asked for on each use: ThreadLocalRandom's state is the calling thread's, and attempts of
    // one request run on different threads
    RandomGenerator random = router.random.get();
    return switch (settings.strategy()) {
      case SIMPLE_SHUFFLE -> Strategies.shuffle(tier, this, random);
      case LEAST_BUSY -> Strategies.leastBusy(tier, this, random);
      case USAGE_BASED -> Strategies.leastTokens(tier, this, minute, random);
      case LATENCY_BASED ->
          Strategies.lowestLatency(
              tier,
              this,
              stream,
              now,
              router.latencyTtlMillis,
              settings.lowestLatencyBuffer(),
              random);
    };
  }

  private boolean acquire(Member member) {
    if (!member.counter.tryAcquire(minute, member.rpm, member.maxParallel)) {
      return false;
    }
    lease(member);
    return true;
  }

  /** The acquired {@code member} is the running attempt's, until {@link #attemptEnded}. */
  private void lease(Member member) {
    current = member;
    Member previous = (Member) LEASE.getAndSet(this, member);
    if (previous != null) {
      previous.counter.release(); // defensive: an attempt that was never reported as ended
    }
  }

  private Route routeOf(Member member) {
    Deployment deployment = member.deployment;
    if (!deployment.isWildcard()) {
      return member.route;
    }
    String matched = DeploymentNames.matchWildcard(deployment.modelGroup(), servedName);
    return new Route(deployment, deployment.upstreamModel().replace("*", matched));
  }

  private void markTried(Member member) {
    if (member == null) {
      return;
    }
    if (tried == null) {
      tried = new boolean[group.size()];
    }
    tried[member.index] = true;
  }

  /**
   * Retries allowed in a group for this failure: {@code retry_policy} for its class when it names
   * it; otherwise none for a failure no other attempt would change, and else the request's, the
   * deployment's, or the router's {@code num_retries}, or by default LiteLLM's 2 (never fewer than
   * the deployment's {@code max_retries}).
   */
  private int retriesAllowed(GatewayException failure, Member failedMember) {
    ErrorClass errorClass = Failures.errorClass(failure);
    RetryPolicy policy = settings.groupRetryPolicies().get(primaryGroup);
    Integer byPolicy = policy == null ? null : policy.retries().get(errorClass);
    if (byPolicy == null) {
      byPolicy = settings.retryPolicy().retries().get(errorClass);
    }
    if (byPolicy != null) {
      return byPolicy;
    }
    boolean worthAnother =
        failure.retryable()
            || (errorClass == ErrorClass.AUTHENTICATION || failure.status() == 404)
                && group.size() > 1;
    if (!worthAnother) {
      return 0;
    }
    Integer configured = configuredRetries(failedMember);
    return configured != null
        ? configured
        : Math.max(Router.DEFAULT_RETRIES, failedMember.deployment.maxRetries());
  }

  /** How often the same deployment may be tried again: {@code max_retries} unless configured. */
  private int sameDeploymentRetriesAllowed(Member failedMember) {
    Integer configured = configuredRetries(failedMember);
    return configured != null ? configured : failedMember.deployment.maxRetries();
  }

  private Integer configuredRetries(Member member) {
    if (requestRouting.numRetries() != null) {
      return requestRouting.numRetries();
    }
    Integer own = member == null ? null : member.deployment.routing().numRetries();
    return own != null ? own : settings.numRetries();
  }

  /** The fallback groups for this failure: its kind's list, else the generic one. */
  private List<String> fallbacksFor(GatewayException failure) {
    if (fallbackQueue != null) {
      return fallbackQueue; // already falling back: on down the same list
    }
    if (Failures.contextWindowExceeded(failure)) {
      List<String> list =
          requestRouting.contextWindowFallbacks() != null
              ? requestRouting.contextWindowFallbacks()
              : configured(settings.contextWindowFallbacks());
      if (list != null) {
        return list;
      }
    } else if (Failures.contentPolicyViolation(failure)) {
      List<String> list = configured(settings.contentPolicyFallbacks());
      if (list != null) {
        return list;
      }
    }
    if (requestRouting.fallbacks() != null) {
      return requestRouting.fallbacks();
    }
    List<String> list = configured(settings.fallbacks());
    return list != null ? list : settings.defaultFallbacks();
  }

  /** The entry for the requested name, else for its group. */
  private List<String> configured(Map<String, List<String>> fallbacksByGroup) {
    List<String> list = fallbacksByGroup.get(requestedModel);
    return list != null ? list : fallbacksByGroup.get(primaryGroup);
  }

  /** The first fallback group, in order, that has a deployment available; null when none has. */
  private Route fallBack(List<String> queue) {
    if (fallbackQueue == null) {
      fallbackQueue = queue;
    }
    while (fallbackIndex < fallbackQueue.size() && fallbacks < settings.maxFallbacks()) {
      String name = fallbackQueue.get(fallbackIndex++);
      ModelGroup fallbackGroup = router.group(name);
      if (fallbackGroup == null) {
        continue; // warned about when the config was read
      }
      group = fallbackGroup;
      servedName = router.directory.servedName(name);
      tried = null;
      current = null;
      retriesInGroup = 0;
      sameDeploymentRetries = 0;
      fallbacks++;
      Route route = pick();
      if (route != null) {
        return route;
      }
    }
    return null;
  }

  /**
   * Nothing of {@code unavailable} can take the request: 400 when every context window is too
   * small, else LiteLLM's 429 with the time until the first deployment is back.
   */
  private GatewayException unavailable(ModelGroup unavailable) {
    boolean allTooSmall = promptTokens > 0;
    long soonest = Long.MAX_VALUE;
    for (Member member : unavailable.members) {
      allTooSmall &= member.tooSmallFor(promptTokens);
      long until = member.counter.cooldownUntil();
      // cooling: back at its end; at a minute's limit: the next minute; busy: a second, a guess
      long back =
          until > now
              ? until
              : member.rpm > 0 || member.tpm > 0 ? (minute + 1) * Router.MINUTE_MILLIS : now + 1000;
      soonest = Math.min(soonest, back);
    }
    if (allTooSmall) {
      return GatewayException.badRequest(
          "The prompt, about "
              + promptTokens
              + " tokens by the gateway's estimate, does not fit the context window"
              + " (model_info.max_input_tokens) of any deployment of model group "
              + unavailable.name
              + ".",
          "messages");
    }
    long seconds = Math.max(1, (soonest - now + 999) / 1000);
    return GatewayException.noDeploymentsAvailable(requestedModel, seconds);
  }
}
