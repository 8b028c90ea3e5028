package io.feathergate.core.keys;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.TokenPrices;
import io.feathergate.core.auth.Budgeted;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.auth.Team;
import io.feathergate.core.auth.User;
import io.feathergate.core.auth.VirtualKey;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.events.RequestRecord;
import io.feathergate.core.routing.DeploymentCounters;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.PromptEstimate;
import io.feathergate.core.spi.TokenUsage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets a request in, or not, by its caller's virtual key, the key's team and its user, before it is
 * routed: the model groups each may call, its requests, tokens and calls in flight per minute, and
 * its budget. A budget is enforced from memory: a request is let in while the spend plus what calls
 * in flight have reserved is under its {@code max_budget}, and reserves its worst case (the
 * prompt's estimate at the input price and its {@code max_tokens}, or {@value
 * #DEFAULT_OUTPUT_TOKENS} tokens, at the output price), capped at a tenth of the budget so that a
 * burst cannot lock a key out; the reservation is replaced by the real cost when the request ends.
 * So at most the calls admitted while budget remained are let through; the spend can pass the
 * budget by what the last of them cost beyond their reservations.
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
  /**
   * The request with the caller's key alias applied: a model name the key's {@code aliases} maps is
   * sent to the model group it names (LiteLLM's key-level model aliases).
   */
  public ChatRequest aliased(Principal caller, ChatRequest request) {
    VirtualKey key = caller.virtualKey();
    if (key == null || key.aliases().isEmpty()) {
      return request;
    }
    String target = key.aliases().get(request.model());
    return target == null ? request : request.withModel(target);
  }

  public Pass admit(Principal caller, ChatRequest request) {
    VirtualKey key = caller.virtualKey();
    if (key == null) {
      // the master key, or an open gateway: nothing to hold, only the spend row and the cost
      return new Admitted(caller, List.of());
    }
    List<Budgeted> budgets = caller.budgets();
    String model = request.model();
    Budgeted groupLimit = key.modelLimits().forGroup(key.scope(), model);
    if (groupLimit != null) {
      budgets.add(groupLimit);
    }
    for (Budgeted budgeted : budgets) {
      if (!budgeted.allows(model)) {
        throw modelDenied(budgeted, model);
      }
    }
    Instant now = clock.instant();
    List<Hold> holds = new ArrayList<>(budgets.size());
    Asked asked = new Asked(request);
    try {
      for (Budgeted budgeted : budgets) {
        holds.add(hold(budgeted, asked, now));
      }
    } catch (GatewayException refused) {
      // the places in flight and the reservations already taken are given back (a request already
      // counted in a minute's rpm stays counted there: the counters cannot take one back)
      holds.forEach(hold -> hold.release(clock.instant(), 0, null));
      throw refused;
    }
    return new Admitted(caller, holds);
  }

  private static GatewayException modelDenied(Budgeted budgeted, String model) {
    String who =
        budgeted instanceof VirtualKey
            ? "key"
            : budgeted instanceof Team team ? "team=" + team.teamId() : "user";
    return new GatewayException(
        401,
        budgeted instanceof Team ? "team_model_access_denied" : "key_model_access_denied",
        who
            + " not allowed to access model. This "
            + (budgeted instanceof Team ? "team" : who)
            + " can only access models="
            + budgeted.models()
            + ". Tried to access "
            + model,
        "model",
        "401",
        false);
  }

  /** Takes one key's, team's or user's share of the request: a place in its limits and budget. */
  private Hold hold(Budgeted budgeted, Asked asked, Instant now) {
    DeploymentCounters.Counter limits = null;
    long minute = now.toEpochMilli() / 60_000;
    long reservedTokens = 0;
    if (budgeted.limited()) {
      limits = counters.counter(budgeted.scope());
      long tpm = budgeted.tpmLimit() == null ? 0 : budgeted.tpmLimit();
      reservedTokens = tpm > 0 ? Math.min(tpm, asked.tokens()) : 0;
      long rpm = budgeted.rpmLimit() == null ? 0 : budgeted.rpmLimit();
      int parallel =
          budgeted.maxParallelRequests() == null
              ? 0
              : (int) Math.min(Integer.MAX_VALUE, budgeted.maxParallelRequests());
      if (!limits.tryAcquire(minute, rpm, parallel, tpm, reservedTokens)) {
        if (tpm > 0 && limits.tokens(minute) >= tpm) {
          throw rateLimited(budgeted, "tokens", tpm, now);
        }
        boolean parallelFull = parallel > 0 && limits.inFlight() >= parallel;
        throw rateLimited(
            budgeted,
            parallelFull ? "max_parallel_requests" : "requests",
            parallelFull ? parallel : rpm,
            now);
      }
    }
    // a key's limits for one model group have no budget and no row of their own: nothing to spend
    KeySpend spend =
        ledger == null || budgeted instanceof VirtualKey.GroupLimit
            ? null
            : ledger.spendOf(budgeted);
    if (spend != null && budgeted.maxBudget() != null) {
      ledger.freshen(spend);
    }
    double reservation = 0;
    double spendBefore = spend == null ? budgeted.spend() : spend.spend(now);
    if (spend != null && budgeted.maxBudget() != null) {
      reservation = reservation(asked, budgeted.maxBudget());
      double outcome = spend.tryReserve(now, budgeted.maxBudget(), reservation);
      if (outcome < 0) {
        if (limits != null) {
          limits.release();
          limits.addTokens(minute, -reservedTokens);
        }
        throw budgetExceeded(budgeted, -1 - outcome, budgeted.maxBudget());
      }
      spendBefore = outcome;
    }
    return new Hold(budgeted, spend, limits, reservation, spendBefore, minute, reservedTokens);
  }

  /**
   * What a request asks for, read from its body once however many budgets and limits look at it:
   * its prompt's estimate and its {@code max_tokens}, if it sets one.
   */
  private static final class Asked {
    final ChatRequest request;
    private long promptTokens = -1;
    private long maxOutputTokens = -1;

    Asked(ChatRequest request) {
      this.request = request;
    }

    long promptTokens() {
      if (promptTokens < 0) {
        promptTokens = PromptEstimate.tokens(request);
      }
      return promptTokens;
    }

    /** The output it asks for at most, or 0 when it does not say. */
    long maxOutputTokens() {
      if (maxOutputTokens < 0) {
        maxOutputTokens = 0;
        for (String field : MAX_OUTPUT_FIELDS) {
          JsonNode value = request.body().path(field);
          if (value.canConvertToLong() && value.asLong() > 0) {
            maxOutputTokens = value.asLong();
            break;
          }
        }
      }
      return maxOutputTokens;
    }

    /**
     * The tokens it may use, reserved against a {@code tpm_limit} while it runs: the prompt's
     * estimate plus its {@code max_tokens} when it sets one (without, only the prompt: reserving a
     * default output would refuse the first call of a small limit, as LiteLLM's 1,024-token floor
     * does).
     */
    long tokens() {
      return promptTokens() + maxOutputTokens();
    }
  }

  /** The worst case of a call, capped at a share of the budget. */
  private double reservation(Asked asked, double maxBudget) {
    TokenPrices group = groupPrices.getOrDefault(asked.request.model(), TokenPrices.NONE);
    if (!group.known()) {
      return 0;
    }
    long output = asked.maxOutputTokens() > 0 ? asked.maxOutputTokens() : DEFAULT_OUTPUT_TOKENS;
    double outputPrice =
        group.reasoning() != null ? Math.max(group.output(), group.reasoning()) : group.output();
    double worst = asked.promptTokens() * group.input() + output * outputPrice;
    return Math.min(worst, maxBudget * RESERVATION_CAP_SHARE);
  }

  /** LiteLLM's words for each: the key's, the team's and the user's. */
  static GatewayException budgetExceeded(Budgeted budgeted, double spend, double maxBudget) {
    String message;
    if (budgeted instanceof Team team) {
      message =
          "Budget has been exceeded! Team="
              + team.teamId()
              + " Current cost: "
              + spend
              + ", Max budget: "
              + maxBudget;
    } else if (budgeted instanceof User user) {
      message =
          "ExceededBudget: User="
              + user.userId()
              + " over budget. Spend="
              + spend
              + ", Budget="
              + maxBudget;
    } else {
      message = "Budget has been exceeded! Current cost: " + spend + ", Max budget: " + maxBudget;
    }
    return new GatewayException(400, "budget_exceeded", message, null, "400", false);
  }

  /** LiteLLM's descriptor of a limit's owner, in messages and header names. */
  private static String descriptor(Budgeted budgeted) {
    if (budgeted instanceof VirtualKey.GroupLimit) {
      return "model_per_key";
    }
    return budgeted instanceof VirtualKey ? "api_key" : budgeted instanceof Team ? "team" : "user";
  }

  private static String ownerId(Budgeted budgeted) {
    return budgeted.scope().substring(budgeted.scope().indexOf(':') + 1);
  }

  private static GatewayException rateLimited(
      Budgeted key, String limitType, long limit, Instant now) {
    long minuteEnd = (now.toEpochMilli() / 60_000 + 1) * 60_000;
    long retryAfter = Math.max(1, (minuteEnd - now.toEpochMilli() + 999) / 1000);
    Instant resetAt = Instant.ofEpochMilli(minuteEnd);
    return new GatewayException(
            429,
            "rate_limit_error",
            "Rate limit exceeded for "
                + descriptor(key)
                + ": "
                + ownerId(key)
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

  /** One key's, team's or user's share of a request let in. */
  private final class Hold {
    final Budgeted budgeted;
    final KeySpend spend;
    final DeploymentCounters.Counter limits;
    final double reservation;
    final double spendBefore;
    final long minute;
    final long reservedTokens;

    Hold(
        Budgeted budgeted,
        KeySpend spend,
        DeploymentCounters.Counter limits,
        double reservation,
        double spendBefore,
        long minute,
        long reservedTokens) {
      this.budgeted = budgeted;
      this.spend = spend;
      this.limits = limits;
      this.reservation = reservation;
      this.spendBefore = spendBefore;
      this.minute = minute;
      this.reservedTokens = reservedTokens;
    }

    /**
     * Gives back the place in the limits, replaces the reserved tokens by those used, and the
     * reserved cost by the real one.
     */
    void release(Instant now, double cost, TokenUsage usage) {
      if (limits != null) {
        limits.release();
        long used = usage == null ? 0 : usage.totalTokens();
        long nowMinute = now.toEpochMilli() / 60_000;
        if (nowMinute == minute) {
          limits.addTokens(minute, used - reservedTokens);
        } else {
          // the reservation's minute is over: what was used counts in this one
          limits.addTokens(nowMinute, used);
        }
      }
      if (spend != null) {
        ledger.settle(spend, now, reservation, cost);
      }
    }

    /** LiteLLM's {@code x-ratelimit-<owner>-remaining-…} and {@code -limit-…} headers. */
    void limitHeaders(Map<String, String> headers) {
      if (limits == null) {
        return;
      }
      LimitHeaderNames names = LimitHeaderNames.of(budgeted);
      long minute = clock.millis() / 60_000;
      if (budgeted.rpmLimit() != null) {
        headers.put(names.limitRequests, budgeted.rpmLimit().toString());
        headers.put(
            names.remainingRequests,
            Long.toString(Math.max(0, budgeted.rpmLimit() - limits.requests(minute))));
      }
      if (budgeted.tpmLimit() != null) {
        headers.put(names.limitTokens, budgeted.tpmLimit().toString());
        headers.put(
            names.remainingTokens,
            Long.toString(Math.max(0, budgeted.tpmLimit() - limits.tokens(minute))));
      }
      if (budgeted.maxParallelRequests() != null) {
        headers.put(names.limitParallel, budgeted.maxParallelRequests().toString());
        headers.put(
            names.remainingParallel,
            Long.toString(Math.max(0, budgeted.maxParallelRequests() - limits.inFlight())));
      }
    }
  }

  /** The header names of one kind of owner, made once rather than on every answer. */
  private static final class LimitHeaderNames {
    private static final LimitHeaderNames KEY = new LimitHeaderNames("api_key");
    private static final LimitHeaderNames TEAM = new LimitHeaderNames("team");
    private static final LimitHeaderNames USER = new LimitHeaderNames("user");
    private static final LimitHeaderNames MODEL_PER_KEY = new LimitHeaderNames("model_per_key");

    final String limitRequests;
    final String remainingRequests;
    final String limitTokens;
    final String remainingTokens;
    final String limitParallel;
    final String remainingParallel;

    private LimitHeaderNames(String descriptor) {
      String prefix = "x-ratelimit-" + descriptor;
      limitRequests = prefix + "-limit-requests";
      remainingRequests = prefix + "-remaining-requests";
      limitTokens = prefix + "-limit-tokens";
      remainingTokens = prefix + "-remaining-tokens";
      limitParallel = prefix + "-limit-max_parallel_requests";
      remainingParallel = prefix + "-remaining-max_parallel_requests";
    }

    static LimitHeaderNames of(Budgeted budgeted) {
      return switch (descriptor(budgeted)) {
        case "model_per_key" -> MODEL_PER_KEY;
        case "api_key" -> KEY;
        case "team" -> TEAM;
        default -> USER;
      };
    }
  }

  /** A request let in; settles once. */
  private final class Admitted implements Pass {
    private final Principal caller;
    private final List<Hold> holds;
    private final AtomicBoolean settled = new AtomicBoolean();

    Admitted(Principal caller, List<Hold> holds) {
      this.caller = caller;
      this.holds = holds;
    }

    @Override
    public Map<String, String> headers() {
      if (holds.isEmpty()) {
        return Map.of();
      }
      Map<String, String> headers = new LinkedHashMap<>();
      keyHeaders(0, headers);
      return headers;
    }

    /** The key's spend (before this call, plus {@code cost}), budget and limits. */
    private void keyHeaders(double cost, Map<String, String> headers) {
      if (holds.isEmpty()) {
        return;
      }
      Hold key = holds.get(0);
      headers.put("x-litellm-key-spend", Double.toString(key.spendBefore + cost));
      VirtualKey virtualKey = caller.virtualKey();
      if (virtualKey.maxBudget() != null) {
        headers.put("x-litellm-key-max-budget", Double.toString(virtualKey.maxBudget()));
      }
      if (virtualKey.rpmLimit() != null) {
        headers.put("x-litellm-key-rpm-limit", virtualKey.rpmLimit().toString());
      }
      if (virtualKey.tpmLimit() != null) {
        headers.put("x-litellm-key-tpm-limit", virtualKey.tpmLimit().toString());
      }
      for (Hold hold : holds) {
        hold.limitHeaders(headers);
      }
    }

    @Override
    public Map<String, String> answerHeaders(Deployment deployment, TokenUsage usage) {
      double cost = prices.cost(deployment, usage);
      Map<String, String> headers = new LinkedHashMap<>();
      keyHeaders(cost, headers);
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
      holds.forEach(hold -> hold.release(now, cost, record.usage()));
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
