package io.feathergate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Provider/model strings split as LiteLLM's get_llm_provider splits them. */
class ProviderModelsTest {

  @ParameterizedTest(name = "{0} + custom_llm_provider={1} -> {2} / {3}")
  @CsvSource(
      nullValues = "null",
      value = {
        "openai/gpt-4o, null, openai, gpt-4o",
        "openrouter/anthropic/claude-3, null, openrouter, anthropic/claude-3",
        "hosted_vllm/meta-llama/Llama-3.1-8B, null, hosted_vllm, meta-llama/Llama-3.1-8B",
        "text-completion-openai/gpt-3.5-turbo-instruct, null, text-completion-openai,"
            + " gpt-3.5-turbo-instruct",
        "openai/*, null, openai, *",
        "*, null, openai, *",
        "gpt-4o, null, openai, gpt-4o",
        "gpt-3.5-turbo-instruct, null, text-completion-openai, gpt-3.5-turbo-instruct",
        "o1-mini, null, openai, o1-mini",
        "o3, null, openai, o3",
        "o4-mini, null, openai, o4-mini",
        "chatgpt-4o-latest, null, openai, chatgpt-4o-latest",
        "ft:gpt-4o-mini:acme::abc123, null, openai, ft:gpt-4o-mini:acme::abc123",
        "text-embedding-3-small, null, openai, text-embedding-3-small",
        "dall-e-3, null, openai, dall-e-3",
        "claude-3-5-sonnet-20241022, null, anthropic, claude-3-5-sonnet-20241022",
        "gemini-1.5-pro, null, vertex_ai, gemini-1.5-pro",
        "gemini/gemini-1.5-pro, null, gemini, gemini-1.5-pro",
        "anthropic.claude-3-haiku-20240307-v1:0, null, bedrock,"
            + " anthropic.claude-3-haiku-20240307-v1:0",
        "llama3-8b-8192, groq, groq, llama3-8b-8192",
        "groq/llama3-8b-8192, groq, groq, llama3-8b-8192",
        "anthropic/claude-3, openai, openai, anthropic/claude-3",
        "my-model, my_own, my_own, my-model",
      })
  void splitsProviderAndUpstreamModel(
      String model, String customProvider, String provider, String upstreamModel) {
    assertThat(ProviderModels.split(model, customProvider, "p"))
        .isEqualTo(new ProviderModel(provider, upstreamModel));
  }

  @ParameterizedTest
  @CsvSource({"mistralai/mistral-7b-instruct", "llama-3-70b", "my-org/gpt-4o"})
  void aModelWithoutAKnownProviderIsRefusedAtItsPath(String model) {
    assertThatThrownBy(
            () -> ProviderModels.split(model, null, "model_list[0].litellm_params.model"))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.path()).isEqualTo("model_list[0].litellm_params.model");
              assertThat(e.problem())
                  .startsWith("LLM Provider NOT provided for model '" + model + "'")
                  .contains("openai/" + model);
            });
  }
}
