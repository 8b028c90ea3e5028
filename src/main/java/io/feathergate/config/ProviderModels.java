package io.feathergate.config;

import java.util.List;
import java.util.Set;

/**
 * Splits {@code litellm_params.model} into provider and upstream model as LiteLLM's {@code
 * get_llm_provider} does: {@code custom_llm_provider} first, then a known provider as the first
 * {@code /} segment (everything after the first {@code /} is the model, so {@code
 * openrouter/anthropic/claude-3} is {@code anthropic/claude-3} at OpenRouter), then well-known bare
 * model names. Anything else is refused, as LiteLLM refuses it, rather than guessed.
 */
final class ProviderModels {

  /**
   * LiteLLM's provider prefixes. Knowing more names than FeatherGate serves matters: {@code
   * azure/gpt-4o} must be reported as "azure is not supported yet", not as an unknown model.
   */
  static final Set<String> KNOWN_PROVIDERS =
      Set.of(
          "openai",
          "text-completion-openai",
          "openai_like",
          "custom_openai",
          "azure",
          "azure_text",
          "azure_ai",
          "anthropic",
          "anthropic_text",
          "gemini",
          "vertex_ai",
          "vertex_ai_beta",
          "bedrock",
          "sagemaker",
          "sagemaker_chat",
          "groq",
          "mistral",
          "codestral",
          "deepseek",
          "together_ai",
          "openrouter",
          "ollama",
          "ollama_chat",
          "hosted_vllm",
          "vllm",
          "fireworks_ai",
          "xai",
          "cerebras",
          "nvidia_nim",
          "lm_studio",
          "github",
          "github_copilot",
          "litellm_proxy",
          "cohere",
          "cohere_chat",
          "huggingface",
          "perplexity",
          "databricks",
          "sambanova",
          "snowflake",
          "watsonx",
          "watsonx_text",
          "replicate",
          "ai21",
          "ai21_chat",
          "anyscale",
          "deepinfra",
          "cloudflare",
          "voyage",
          "jina_ai",
          "friendliai",
          "predibase",
          "triton",
          "clarifai",
          "dashscope",
          "moonshot",
          "novita",
          "nebius",
          "nscale",
          "llamafile",
          "featherless_ai",
          "volcengine",
          "infinity",
          "hyperbolic",
          "lambda_ai",
          "meta_llama",
          "oci",
          "datarobot",
          "petals",
          "baseten",
          "nlp_cloud",
          "aleph_alpha",
          "palm",
          "custom");

  /** A bare model name's prefix and the provider LiteLLM's cost map gives it; first match wins. */
  private record BareName(String prefix, String provider) {}

  private static final List<BareName> BARE_NAMES =
      List.of(
          // before "gpt-": LiteLLM serves these through the legacy completions API
          new BareName("gpt-3.5-turbo-instruct", "text-completion-openai"),
          new BareName("davinci-002", "text-completion-openai"),
          new BareName("babbage-002", "text-completion-openai"),
          new BareName("gpt-", "openai"),
          new BareName("chatgpt-", "openai"),
          new BareName("ft:gpt-", "openai"),
          new BareName("o1", "openai"),
          new BareName("o3", "openai"),
          new BareName("o4", "openai"),
          new BareName("text-embedding-", "openai"),
          new BareName("dall-e-", "openai"),
          new BareName("whisper-", "openai"),
          new BareName("tts-", "openai"),
          new BareName("omni-moderation-", "openai"),
          new BareName("text-moderation-", "openai"),
          new BareName("claude-", "anthropic"),
          // LiteLLM's cost map lists bare gemini names under Vertex AI; AI Studio needs gemini/
          new BareName("gemini-", "vertex_ai"),
          new BareName("anthropic.", "bedrock"),
          new BareName("us.anthropic.", "bedrock"),
          new BareName("eu.anthropic.", "bedrock"),
          new BareName("amazon.", "bedrock"),
          new BareName("meta.", "bedrock"),
          new BareName("cohere.", "bedrock"),
          new BareName("ai21.", "bedrock"),
          new BareName("mistral.", "bedrock"));

  private ProviderModels() {}

  /**
   * @param model {@code litellm_params.model}
   * @param customProvider {@code litellm_params.custom_llm_provider}, or null
   * @param modelPath the YAML path of {@code model}, for the error
   * @throws InvalidValueException when no provider can be told
   */
  static ProviderModel split(String model, String customProvider, String modelPath) {
    if (customProvider != null && !customProvider.isBlank()) {
      String provider = customProvider.strip();
      String prefix = provider + "/";
      String upstream = model.startsWith(prefix) ? model.substring(prefix.length()) : model;
      return checked(provider, upstream, modelPath);
    }
    int slash = model.indexOf('/');
    if (slash > 0 && KNOWN_PROVIDERS.contains(model.substring(0, slash))) {
      return checked(model.substring(0, slash), model.substring(slash + 1), modelPath);
    }
    if (model.equals("*")) {
      return new ProviderModel("openai", model);
    }
    for (BareName bare : BARE_NAMES) {
      if (model.startsWith(bare.prefix())) {
        return new ProviderModel(bare.provider(), model);
      }
    }
    throw new InvalidValueException(
        modelPath,
        "LLM Provider NOT provided for model '"
            + model
            + "'. Write it as provider/model, e.g. openai/"
            + model
            + " (with api_base for any OpenAI-compatible server)");
  }

  private static ProviderModel checked(String provider, String upstream, String modelPath) {
    if (upstream.isBlank()) {
      throw new InvalidValueException(
          modelPath, "no model name after the provider prefix '" + provider + "/'");
    }
    return new ProviderModel(provider, upstream);
  }
}
