package io.feathergate.core;

/**
 * What a model's tokens cost, in US dollars per token, as LiteLLM's price map and {@code
 * model_info} name them. A price that is not known is null: a deployment's {@code model_info} sets
 * only the prices it overrides, and the shipped table fills the others.
 *
 * @param input {@code input_cost_per_token}
 * @param output {@code output_cost_per_token}
 * @param cacheRead {@code cache_read_input_token_cost}; input price when null
 * @param cacheWrite {@code cache_creation_input_token_cost}; input price when null
 * @param reasoning {@code output_cost_per_reasoning_token}; output price when null
 */
public record TokenPrices(
    Double input, Double output, Double cacheRead, Double cacheWrite, Double reasoning) {

  /** No price known. */
  public static final TokenPrices NONE = new TokenPrices(null, null, null, null, null);

  /** These prices where set, {@code fallback}'s elsewhere. */
  public TokenPrices over(TokenPrices fallback) {
    return new TokenPrices(
        input != null ? input : fallback.input,
        output != null ? output : fallback.output,
        cacheRead != null ? cacheRead : fallback.cacheRead,
        cacheWrite != null ? cacheWrite : fallback.cacheWrite,
        reasoning != null ? reasoning : fallback.reasoning);
  }

  /**
   * Whether any price is set. (Not {@code equals(NONE)}: on Java 17 a record's generated {@code
   * equals} caches a method handle typed with the record's class in a JDK-wide static, which keeps
   * an undeployed web application's class loader alive.)
   */
  public boolean anySet() {
    return input != null
        || output != null
        || cacheRead != null
        || cacheWrite != null
        || reasoning != null;
  }

  /** Whether the input and output prices, at least, are known. */
  public boolean known() {
    return input != null && output != null;
  }
}
