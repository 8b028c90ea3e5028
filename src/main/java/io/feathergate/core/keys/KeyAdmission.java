package io.feathergate.core.keys;

import io.feathergate.core.Deployment;
import io.feathergate.core.TokenPrices;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.auth.VirtualKey;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.events.RequestRecord;
import io.feathergate.core.routing.DeploymentCounters;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.PromptEstimate;
import io.feathergate.core.spi.TokenUsage;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets a request in, or not, by its caller's virtual key, before it is routed: the model groups the
 * key may call, its requests, tokens and calls in flight per minute, and its budget. A budget is
 * enforced from memory: a request is let in while the key's spend plus what calls in flight have
 * reserved is under its {@code max_budget}, and reserves its worst case (the prompt's estimate at
 * the input price and its {@code max_tokens}, or {@value #DEFAULT_OUTPUT_TOKENS} tokens, at the
 * output price), capped at a tenth of the budget so that a burst cannot lock a key out; the
 * reservation is replaced by the real cost when the request ends. So at most the calls admitted
 * while budget remained are let through; the spend can pass the budget by what the last of them
 * cost beyond their reservations.
 */
public final class KeyAdmission {
  /** Output tokens reserved for a call that sets no {@code max_tokens}. */
  static final long DEFAULT_OUTPUT_TOKENS = 4096;

  /** The largest share of a key's budget one call may reserve. */
  static final double RESERVATION_CAP_SHARE = 0.1;

  private static final List<String> MAX_OUTPUT_FIELDS =
      List.of("max_tokens", "max_completion_tokens", "max_output_tokens");

  private final SpendLedger ledger;
  private final DeploymentCounters counters;
  private final PriceTable prices;
  private final Map<String, TokenPrices> groupPrices;
  private final Clock clock;

  /**
   * @param ledger spend in memory, or null when the gateway keeps no database (then only the
   *     response cost is reported)
   * @param counters counts each key's requests, tokens and calls in flight
   * @param groupPrices the highest prices among each model group's deployments, for reservations
   */
  public KeyAdmission(
      SpendLedger ledger,
      DeploymentCounters counters,
      PriceTable prices,
      Map<String, TokenPrices> groupPrices,
      Clock clock) {
    this.ledger = ledger;
    this.counters = counters;
    this.prices = prices;
    this.groupPrices = Map.copyOf(groupPrices);
    this.clock = clock;
  }

  /**
   * Lets a request in.
   *
   * @throws GatewayException 401 for a model the key may not call, 429 over a limit, 400 over its
   *     budget
   */
  public Pass admit(Principal caller, ChatRequest request) {
    VirtualKey key = caller.virtualKey();
    if (key == null) {
      return new Admitted(caller, null, null, 0, -1, null);
    }
    String model = request.model();
    if (!key.allows(model)) {
      throw new GatewayException(
          401,
          "key_model_access_denied",
          "key not allowed to access model. This key can only access models="
              + key.models()
              + ". Tried to access "
              + model,
          "model",
          "401",
          false);
    }
    Instant now = clock.instant();
    DeploymentCounters.Counter limits = null;
    if (key.rpmLimit() != null || key.tpmLimit() != null || key.maxParallelRequests() != null) {
      limits = counters.counter("key:" + key.tokenHash());
      long minute = now.toEpochMilli() / 60_000;
      if (key.tpmLimit() != null && limits.tokens(minute) >= key.tpmLimit()) {
        throw rateLimited(key, "tokens", key.tpmLimit(), now);
      }
      long rpm = key.rpmLimit() == null ? 0 : key.rpmLimit();
      int parallel =
          key.maxParallelRequests() == null
              ? 0
              : (int) Math.min(Integer.MAX_VALUE, key.maxParallelRequests());
      if (!limits.tryAcquire(minute, rpm, parallel)) {
        boolean parallelFull = parallel > 0 && limits.inFlight() >= parallel;
        throw rateLimited(
            key,
            parallelFull ? "max_parallel_requests" : "requests",
            parallelFull ? parallel : rpm,
            now);
      }
    }
    KeySpend spend = ledger == null ? null : ledger.spendOf(key);
    double reservation = 0;
    double spendBefore = spend == null ? key.spend() : spend.spend(now);
    if (spend != null && key.maxBudget() != null) {
      reservation = reservation(request, key.maxBudget());
      double outcome = spend.tryReserve(now, key.maxBudget(), reservation);
      if (outcome < 0) {
        if (limits != null) {
          limits.release();
        }
        throw budgetExceeded(-1 - outcome, key.maxBudget());
      }
      spendBefore = outcome;
    }
    return new Admitted(caller, spend, limits, reservation, spendBefore, key);
  }

  /** The worst case of a call, capped at a share of the budget. */
  private double reservation(ChatRequest request, double maxBudget) {
    TokenPrices group = groupPrices.getOrDefault(request.model(), TokenPrices.NONE);
    if (!group.known()) {
      return 0;
    }
    long output = DEFAULT_OUTPUT_TOKENS;
    for (String field : MAX_OUTPUT_FIELDS) {
      if (request.body().path(field).canConvertToLong()
          && request.body().path(field).asLong() > 0) {
        output = request.body().path(field).asLong();
        break;
      }
    }
    double outputPrice =
        group.reasoning() != null ? Math.max(group.output(), group.reasoning()) : group.output();
    double worst = PromptEstimate.tokens(request) * group.input() + output * outputPrice;
    return Math.min(worst, maxBudget * RESERVATION_CAP_SHARE);
  }

  static GatewayException budgetExceeded(double spend, double maxBudget) {
    return new GatewayException(
        400,
        "budget_exceeded",
        "Budget has been exceeded! Current cost: " + spend + ", Max budget: " + maxBudget,
        null,
        "400",
        false);
  }

  private static GatewayException rateLimited(
      VirtualKey key, String limitType, long limit, Instant now) {
    long minuteEnd = (now.toEpochMilli() / 60_000 + 1) * 60_000;
    long retryAfter = Math.max(1, (minuteEnd - now.toEpochMilli() + 999) / 1000);
    Instant resetAt = Instant.ofEpochMilli(minuteEnd);
    return new GatewayException(
            429,
            "rate_limit_error",
            "Rate limit exceeded for api_key: "
                + key.tokenHash()
                + ". Limit type: "
                + limitType
                + ". Current limit: "
                + limit
                + ", Remaining: 0. Limit resets at: "
                + resetAt,
            null,
            "429",
            false)
        .withHeaders(
            Map.of(
                "retry-after",
                Long.toString(retryAfter),
                "rate_limit_type",
                limitType,
                "reset_at",
                resetAt.toString()));
  }

  /** A request let in; settles once. */
  private final class Admitted implements Pass {
    private final Principal caller;
    private final KeySpend spend;
    private final DeploymentCounters.Counter limits;
    private final double reservation;
    private final double spendBefore;
    private final VirtualKey key;
    private final AtomicBoolean settled = new AtomicBoolean();

    Admitted(
        Principal caller,
        KeySpend spend,
        DeploymentCounters.Counter limits,
        double reservation,
        double spendBefore,
        VirtualKey key) {
      this.caller = caller;
      this.spend = spend;
      this.limits = limits;
      this.reservation = reservation;
      this.spendBefore = spendBefore;
      this.key = key;
    }

    @Override
    public Map<String, String> headers() {
      return keyHeaders(spendBefore);
    }

    private Map<String, String> keyHeaders(double keySpend) {
      if (key == null) {
        return Map.of();
      }
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("x-litellm-key-spend", Double.toString(keySpend));
      if (key.maxBudget() != null) {
        headers.put("x-litellm-key-max-budget", Double.toString(key.maxBudget()));
      }
      long minute = clock.millis() / 60_000;
      if (key.rpmLimit() != null) {
        headers.put("x-litellm-key-rpm-limit", key.rpmLimit().toString());
        headers.put("x-ratelimit-api_key-limit-requests", key.rpmLimit().toString());
        headers.put(
            "x-ratelimit-api_key-remaining-requests",
            Long.toString(Math.max(0, key.rpmLimit() - limits.requests(minute))));
      }
      if (key.tpmLimit() != null) {
        headers.put("x-litellm-key-tpm-limit", key.tpmLimit().toString());
        headers.put("x-ratelimit-api_key-limit-tokens", key.tpmLimit().toString());
        headers.put(
            "x-ratelimit-api_key-remaining-tokens",
            Long.toString(Math.max(0, key.tpmLimit() - limits.tokens(minute))));
      }
      if (key.maxParallelRequests() != null) {
        headers.put(
            "x-ratelimit-api_key-limit-max_parallel_requests",
            key.maxParallelRequests().toString());
        headers.put(
            "x-ratelimit-api_key-remaining-max_parallel_requests",
            Long.toString(Math.max(0, key.maxParallelRequests() - limits.inFlight())));
      }
      return headers;
    }

    @Override
    public Map<String, String> answerHeaders(Deployment deployment, TokenUsage usage) {
      double cost = prices.cost(deployment, usage);
      Map<String, String> headers = new LinkedHashMap<>(keyHeaders(spendBefore + cost));
      headers.put("x-litellm-response-cost", Double.toString(cost));
      return headers;
    }

    @Override
    public void settle(RequestRecord record) {
      if (!settled.compareAndSet(false, true)) {
        return;
      }
      double cost = prices.cost(record.deployment(), record.usage());
      Instant now = clock.instant();
      if (limits != null) {
        limits.release();
        if (record.usage() != null) {
          limits.addTokens(now.toEpochMilli() / 60_000, record.usage().totalTokens());
        }
      }
      if (spend != null) {
        spend.settle(now, reservation, cost);
      }
      if (ledger != null) {
        ledger.log(row(record, cost, now));
      }
    }

    private SpendLogRow row(RequestRecord record, double cost, Instant end) {
      TokenUsage usage = record.usage();
      Deployment deployment = record.deployment();
      return new SpendLogRow(
          record.requestId(),
          record.route(),
          caller.keyHash(),
          cost,
          usage == null ? 0 : usage.promptTokens(),
          usage == null ? 0 : usage.completionTokens(),
          usage == null ? 0 : usage.totalTokens(),
          Instant.ofEpochMilli(record.startEpochMillis()),
          end,
          deployment == null ? null : deployment.upstreamModel(),
          deployment == null ? null : deployment.id(),
          record.modelGroup() != null ? record.modelGroup() : record.primaryModelGroup(),
          deployment == null ? null : deployment.provider(),
          caller.userId(),
          caller.teamId(),
          record.failed() ? "failure" : "success",
          record.status(),
          false);
    }
  }
}
