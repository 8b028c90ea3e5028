package io.feathergate.config;

import io.feathergate.core.Deployment.PricedAs;
import io.feathergate.core.TokenPrices;
import java.util.Map;

/**
 * A deployment's own prices, as LiteLLM reads them: {@code input_cost_per_token} and its siblings
 * in {@code model_info} or {@code litellm_params} (the former wins), numbers or numeric text
 * ({@code "3e-7"}), and {@code model_info.base_model} naming the model to price it as.
 */
final class PricesParser {
  private PricesParser() {}

  static PricedAs parse(
      Map<String, Object> modelInfo,
      String modelInfoPath,
      Map<String, Object> params,
      String paramsPath) {
    TokenPrices prices =
        new TokenPrices(
            price("input_cost_per_token", modelInfo, modelInfoPath, params, paramsPath),
            price("output_cost_per_token", modelInfo, modelInfoPath, params, paramsPath),
            price("cache_read_input_token_cost", modelInfo, modelInfoPath, params, paramsPath),
            price("cache_creation_input_token_cost", modelInfo, modelInfoPath, params, paramsPath),
            price("output_cost_per_reasoning_token", modelInfo, modelInfoPath, params, paramsPath));
    String baseModel =
        Values.scalarText(modelInfo.get("base_model"), YamlPath.child(modelInfoPath, "base_model"));
    if (baseModel == null && !prices.anySet()) {
      return PricedAs.TABLE;
    }
    return new PricedAs(baseModel == null ? null : baseModel.strip(), prices);
  }

  private static Double price(
      String key,
      Map<String, Object> modelInfo,
      String modelInfoPath,
      Map<String, Object> params,
      String paramsPath) {
    if (modelInfo.get(key) != null) {
      return Values.nonNegativeNumber(modelInfo.get(key), YamlPath.child(modelInfoPath, key));
    }
    if (params.get(key) != null) {
      return Values.nonNegativeNumber(params.get(key), YamlPath.child(paramsPath, key));
    }
    return null;
  }
}
