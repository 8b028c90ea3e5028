package io.feathergate.redis;

/**
 * The scripts that count in Redis. Each runs atomically, reads the time from Redis ({@code TIME}),
 * so that replicas whose clocks differ still share one window, and touches only keys that start
 * with the counter's base key {@code <namespace:>feathergate:{<scope>}}: the hash tag keeps them in
 * one slot of a cluster. Minutes are fixed windows, as LiteLLM's; each minute's keys expire two
 * minutes after they start.
 *
 * <p>Calls in flight are a hash with one field per replica, {@code <count>:<epoch ms>}: a replica
 * that crashed holding calls stops refreshing its field (every few seconds while it has calls in
 * flight), and a field older than {@value #STALE_IN_FLIGHT_MILLIS} ms is dropped instead of
 * blocking the scope for good.
 */
final class CounterScripts {
  static final long STALE_IN_FLIGHT_MILLIS = 30_000;

  private static final String PRELUDE =
      """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local minute = math.floor(tonumber(t[1]) / 60)
      local base = KEYS[1]
      local function live(key, replica)
        local total, own = 0, 0
        local fields = redis.call('HGETALL', key)
        for i = 1, #fields, 2 do
          local count, stamp = string.match(fields[i + 1], '^(%-?%d+):(%d+)$')
          if count == nil or now - tonumber(stamp) > STALE_MS then
            redis.call('HDEL', key, fields[i])
          else
            total = total + tonumber(count)
            if fields[i] == replica then own = tonumber(count) end
          end
        end
        return total, own
      end
      """
          .replace("STALE_MS", Long.toString(STALE_IN_FLIGHT_MILLIS));

  /**
   * ARGV: rpm, calls in flight allowed, tpm (each 0 for none), tokens to reserve, the replica.
   * Refuses (counting nothing) when a limit is reached; else counts the request, reserves the
   * tokens and counts the call in flight. Returns {refused (0, 1 requests, 2 tokens, 3 calls in
   * flight), requests, tokens, calls in flight, minute}.
   */
  static final Script ACQUIRE =
      Script.of(
          PRELUDE
              + """
              local rk = base .. ':rpm:' .. minute
              local tk = base .. ':tpm:' .. minute
              local pk = base .. ':parallel'
              local rpm, par, tpm, reserve = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
              local requests = tonumber(redis.call('GET', rk) or '0')
              local tokens = tonumber(redis.call('GET', tk) or '0')
              local inflight, own = 0, 0
              if par > 0 then inflight, own = live(pk, ARGV[5]) end
              local refused = 0
              if rpm > 0 and requests >= rpm then refused = 1
              elseif tpm > 0 and tokens >= tpm then refused = 2
              elseif par > 0 and inflight >= par then refused = 3
              end
              if refused == 0 then
                requests = redis.call('INCR', rk)
                if requests == 1 then redis.call('PEXPIRE', rk, 120000) end
                if reserve > 0 then
                  tokens = redis.call('INCRBY', tk, reserve)
                  if tokens == reserve then redis.call('PEXPIRE', tk, 120000) end
                end
                if par > 0 then
                  redis.call('HSET', pk, ARGV[5], (own + 1) .. ':' .. now)
                  redis.call('PEXPIRE', pk, 600000)
                  inflight = inflight + 1
                end
              end
              return {refused, requests, tokens, inflight, minute}
              """);

  /**
   * ARGV: rpm, tpm (each 0 for none), the tokens this call needs (at least 1 with a tpm), the
   * divisor of what is left, the most requests and the most tokens one lease may take. Refuses
   * (counting nothing) when a limit is reached; else counts a lease of requests and tokens at once:
   * a share of what is left this minute (at least this call's need), which the replica then spends
   * without asking Redis. Returns {refused (0, 1 requests, 2 tokens), requests leased, tokens
   * leased, requests, tokens, minute}.
   */
  static final Script LEASE =
      Script.of(
          PRELUDE
              + """
              local rk = base .. ':rpm:' .. minute
              local tk = base .. ':tpm:' .. minute
              local rpm, tpm, need = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
              local divisor, maxRequests, maxTokens = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
              local requests = tonumber(redis.call('GET', rk) or '0')
              local tokens = tonumber(redis.call('GET', tk) or '0')
              if rpm > 0 and requests >= rpm then return {1, 0, 0, requests, tokens, minute} end
              if tpm > 0 and tokens >= tpm then return {2, 0, 0, requests, tokens, minute} end
              local leasedRequests, leasedTokens = 0, 0
              if rpm > 0 then
                leasedRequests = math.max(1, math.min(maxRequests, math.floor((rpm - requests) / divisor)))
                requests = redis.call('INCRBY', rk, leasedRequests)
                if requests == leasedRequests then redis.call('PEXPIRE', rk, 120000) end
              end
              if tpm > 0 then
                leasedTokens = math.max(need, math.min(maxTokens, math.floor((tpm - tokens) / divisor)))
                tokens = redis.call('INCRBY', tk, leasedTokens)
                if tokens == leasedTokens then redis.call('PEXPIRE', tk, 120000) end
              end
              return {0, leasedRequests, leasedTokens, requests, tokens, minute}
              """);

  /** ARGV: the replica. Ends one of its calls in flight. Returns the calls in flight left. */
  static final Script RELEASE =
      Script.of(
          PRELUDE
              + """
              local pk = base .. ':parallel'
              local inflight, own = live(pk, ARGV[1])
              if own <= 1 then redis.call('HDEL', pk, ARGV[1])
              else redis.call('HSET', pk, ARGV[1], (own - 1) .. ':' .. now) end
              if own > 0 then inflight = inflight - 1 end
              return inflight
              """);

  /**
   * ARGV: the replica, its calls in flight. Says the replica is alive and how many calls it holds
   * (correcting any drift).
   */
  static final Script TOUCH =
      Script.of(
          PRELUDE
              + """
              local pk = base .. ':parallel'
              if tonumber(ARGV[2]) <= 0 then redis.call('HDEL', pk, ARGV[1])
              else
                redis.call('HSET', pk, ARGV[1], ARGV[2] .. ':' .. now)
                redis.call('PEXPIRE', pk, 600000)
              end
              return 1
              """);

  /**
   * ARGV: tokens to add (negative to give back part of a reservation). Never below zero. Returns
   * {tokens, minute}.
   */
  static final Script ADD_TOKENS =
      Script.of(
          PRELUDE
              + """
              local tk = base .. ':tpm:' .. minute
              local tokens = redis.call('INCRBY', tk, ARGV[1])
              if tokens < 0 then
                redis.call('SET', tk, 0, 'KEEPTTL')
                tokens = 0
              end
              if redis.call('PTTL', tk) < 0 then redis.call('PEXPIRE', tk, 120000) end
              return {tokens, minute}
              """);

  /** ARGV: failures, calls (one or more). Returns {failures, calls, minute} of the minute. */
  static final Script OUTCOME =
      Script.of(
          PRELUDE
              + """
              local ok = base .. ':outcomes:' .. minute
              local calls = redis.call('HINCRBY', ok, 'calls', tonumber(ARGV[2]))
              local failures = redis.call('HINCRBY', ok, 'failures', tonumber(ARGV[1]))
              if calls == tonumber(ARGV[2]) then redis.call('PEXPIRE', ok, 120000) end
              return {failures, calls, minute}
              """);

  /**
   * ARGV: the end of the cooldown (epoch ms), the channel, the message. Keeps the later end, and
   * tells every replica when it changed. Returns 1 when it changed.
   */
  static final Script COOL_DOWN =
      Script.of(
          PRELUDE
              + """
              local ck = base .. ':cooldown'
              local untilMs = tonumber(ARGV[1])
              local current = tonumber(redis.call('GET', ck) or '0')
              if untilMs <= current or untilMs <= now then return 0 end
              redis.call('SET', ck, ARGV[1], 'PX', untilMs - now)
              redis.call('PUBLISH', ARGV[2], ARGV[3])
              return 1
              """);

  private CounterScripts() {}
}
