package io.feathergate.core.routing;

import java.util.random.RandomGenerator;

/**
 * The {@code routing_strategy} choices, each one pass or two over a tier, allocating nothing. Each
 * takes only deployments the {@link Eligibility} accepts and returns null when there is none.
 */
final class Strategies {
  private Strategies() {}

  /** Which deployments a pick may return. */
  interface Eligibility {
    boolean eligible(Member member);
  }

  /**
   * {@code simple-shuffle}: at random, in proportion to each deployment's weight. Two passes: the
   * total weight of the eligible, then the walk to the chosen point; the first pass notes which of
   * the first 64 were eligible, so that the second need not ask again.
   */
  static Member shuffle(Member[] tier, Eligibility eligibility, RandomGenerator random) {
    double total = 0;
    long eligibleMask = 0;
    Member last = null;
    for (int i = 0; i < tier.length; i++) {
      Member member = tier[i];
      if (eligibility.eligible(member)) {
        total += member.shuffleWeight;
        last = member;
        if (i < Long.SIZE) {
          eligibleMask |= 1L << i;
        }
      }
    }
    if (last == null || total <= 0) {
      return last;
    }
    double point = random.nextDouble() * total;
    for (int i = 0; i < tier.length; i++) {
      Member member = tier[i];
      boolean eligible =
          i < Long.SIZE ? (eligibleMask & (1L << i)) != 0 : eligibility.eligible(member);
      if (eligible) {
        point -= member.shuffleWeight;
        if (point < 0) {
          return member;
        }
      }
    }
    return last; // rounding, or a deployment that stopped being eligible between the passes
  }

  /** {@code least-busy}: the fewest calls in flight; ties at random. */
  static Member leastBusy(Member[] tier, Eligibility eligibility, RandomGenerator random) {
    Member best = null;
    int bestInFlight = Integer.MAX_VALUE;
    int ties = 0;
    for (Member member : tier) {
      if (!eligibility.eligible(member)) {
        continue;
      }
      int inFlight = member.counter.inFlight();
      if (inFlight < bestInFlight) {
        best = member;
        bestInFlight = inFlight;
        ties = 1;
      } else if (inFlight == bestInFlight && random.nextInt(++ties) == 0) {
        best = member;
      }
    }
    return best;
  }

  /** {@code usage-based-routing-v2}: the fewest tokens this minute; ties at random. */
  static Member leastTokens(
      Member[] tier, Eligibility eligibility, long minute, RandomGenerator random) {
    Member best = null;
    long bestTokens = Long.MAX_VALUE;
    int ties = 0;
    for (Member member : tier) {
      if (!eligibility.eligible(member)) {
        continue;
      }
      long tokens = member.counter.tokens(minute);
      if (tokens < bestTokens) {
        best = member;
        bestTokens = tokens;
        ties = 1;
      } else if (tokens == bestTokens && random.nextInt(++ties) == 0) {
        best = member;
      }
    }
    return best;
  }

  /**
   * {@code latency-based-routing}: the lowest recent latency (time to first token for streams), at
   * random among those within {@code buffer} of it (LiteLLM's {@code lowest_latency_buffer}).
   */
  static Member lowestLatency(
      Member[] tier,
      Eligibility eligibility,
      boolean stream,
      long nowMillis,
      long ttlMillis,
      double buffer,
      RandomGenerator random) {
    double lowest = Double.MAX_VALUE;
    for (Member member : tier) {
      if (eligibility.eligible(member)) {
        lowest = Math.min(lowest, member.latency(stream, nowMillis, ttlMillis));
      }
    }
    if (lowest == Double.MAX_VALUE) {
      return null;
    }
    double ceiling = lowest * (1 + buffer);
    Member chosen = null;
    int candidates = 0;
    for (Member member : tier) {
      if (eligibility.eligible(member)
          && member.latency(stream, nowMillis, ttlMillis) <= ceiling
          && random.nextInt(++candidates) == 0) {
        chosen = member;
      }
    }
    return chosen;
  }
}
