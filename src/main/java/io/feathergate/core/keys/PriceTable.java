package io.feathergate.core.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feathergate.core.Deployment;
import io.feathergate.core.TokenPrices;
import io.feathergate.core.spi.TokenUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What calls cost: the price table shipped in the WAR ({@code prices.json}, LiteLLM's field names,
 * the common models of every supported provider) under each deployment's own {@code model_info}
 * prices. Bedrock and Vertex model ids are looked up by the model they name ({@code
 * us.anthropic.claude-sonnet-4-5-20250929-v1:0} as {@code claude-sonnet-4-5-20250929}, then without
 * the date).
 */
public final class PriceTable {
  private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{8}|\\d{4}-\\d{2}-\\d{2})$");
  private static final Pattern BEDROCK_VERSION = Pattern.compile("-v\\d+(:\\d+)?$");
  private static final Pattern BEDROCK_PREFIX =
      Pattern.compile("^((us|eu|apac|global|us-gov)\\.)?(anthropic|amazon|meta|mistral|cohere)\\.");

  private final Map<String, TokenPrices> byModel;

  /**
   * Each deployment's prices, worked out once (the name's normalisation runs three regular
   * expressions), by deployment id and upstream model (a wildcard group's calls name their model).
   */
  private final Map<String, TokenPrices> byDeployment = new ConcurrentHashMap<>();

  PriceTable(Map<String, TokenPrices> byModel) {
    this.byModel = Map.copyOf(byModel);
  }

  /** The table shipped in the WAR. */
  public static PriceTable shipped() {
    try (InputStream in = PriceTable.class.getResourceAsStream("prices.json")) {
      if (in == null) {
        throw new IllegalStateException("prices.json is missing from the classpath");
      }
      JsonNode table = new ObjectMapper().readTree(in);
      Map<String, TokenPrices> prices = new HashMap<>();
      table
          .fields()
          .forEachRemaining(entry -> prices.put(entry.getKey(), pricesOf(entry.getValue())));
      return new PriceTable(prices);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TokenPrices pricesOf(JsonNode entry) {
    return new TokenPrices(
        number(entry, "input_cost_per_token"),
        number(entry, "output_cost_per_token"),
        number(entry, "cache_read_input_token_cost"),
        number(entry, "cache_creation_input_token_cost"),
        number(entry, "output_cost_per_reasoning_token"));
  }

  private static Double number(JsonNode entry, String field) {
    JsonNode value = entry.get(field);
    return value != null && value.isNumber() ? value.doubleValue() : null;
  }

  /** The prices of a deployment's calls: its own over the table's; unknown ones null. */
  public TokenPrices prices(Deployment deployment) {
    if (byDeployment.size() > 10_000) {
      // wildcard groups can name many models; a bound keeps the memo small
      byDeployment.clear();
    }
    return byDeployment.computeIfAbsent(
        deployment.id() + '\n' + deployment.upstreamModel(), unused -> pricesOf(deployment));
  }

  private TokenPrices pricesOf(Deployment deployment) {
    Deployment.PricedAs pricedAs = deployment.prices();
    String model = pricedAs.baseModel() != null ? pricedAs.baseModel() : deployment.upstreamModel();
    return pricedAs.overrides().over(lookup(model));
  }

  /** The table's prices of {@code model}, {@link TokenPrices#NONE} when it has none. */
  TokenPrices lookup(String model) {
    if (model == null) {
      return TokenPrices.NONE;
    }
    String name = model.toLowerCase(Locale.ROOT);
    // a provider prefix in base_model ("azure/gpt-4o") names the same model
    int slash = name.lastIndexOf('/');
    if (slash >= 0) {
      name = name.substring(slash + 1);
    }
    // Vertex writes the version after '@'
    name = name.replace('@', '-');
    name = BEDROCK_VERSION.matcher(BEDROCK_PREFIX.matcher(name).replaceFirst("")).replaceFirst("");
    TokenPrices found = byModel.get(name);
    if (found == null) {
      found = byModel.get(DATE_SUFFIX.matcher(name).replaceFirst(""));
    }
    return found == null ? TokenPrices.NONE : found;
  }

  /**
   * What a call cost in US dollars, LiteLLM's way: cached and cache-written input tokens at their
   * prices, the rest of the input at the input price, reasoning tokens at theirs, the rest of the
   * output at the output price. Zero when the usage or the prices are unknown.
   */
  public static double cost(TokenPrices prices, TokenUsage usage) {
    if (usage == null || !prices.known()) {
      return 0;
    }
    double input = prices.input();
    double output = prices.output();
    long cached = usage.cacheReadTokens();
    long written = usage.cacheWriteTokens();
    long plainInput = Math.max(0, usage.promptTokens() - cached - written);
    double reasoningPrice = prices.reasoning() != null ? prices.reasoning() : output;
    long reasoning = Math.min(usage.reasoningTokens(), usage.completionTokens());
    return plainInput * input
        + cached * (prices.cacheRead() != null ? prices.cacheRead() : input)
        + written * (prices.cacheWrite() != null ? prices.cacheWrite() : input)
        + (usage.completionTokens() - reasoning) * output
        + reasoning * reasoningPrice;
  }

  /** What a call on {@code deployment} cost. */
  public double cost(Deployment deployment, TokenUsage usage) {
    return deployment == null ? 0 : cost(prices(deployment), usage);
  }
}
