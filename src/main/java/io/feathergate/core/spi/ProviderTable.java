package io.feathergate.core.spi;

import static io.feathergate.core.spi.ProviderQuirk.EMPTY_FINISH_REASON_OF_TOOL_CALLS;
import static io.feathergate.core.spi.ProviderQuirk.FIREWORKS_MODEL_PATH;
import static io.feathergate.core.spi.ProviderQuirk.NO_MESSAGE_NAMES;
import static io.feathergate.core.spi.ProviderQuirk.NO_STREAM_OPTIONS;
import static io.feathergate.core.spi.ProviderQuirk.NO_STRICT_TOOLS;
import static io.feathergate.core.spi.ProviderQuirk.NO_TEXT_RESPONSE_FORMAT;
import static io.feathergate.core.spi.ProviderQuirk.REASONING_AS_REASONING_CONTENT;
import static io.feathergate.core.spi.ProviderQuirk.TEXT_CONTENT_AS_STRING;
import static io.feathergate.core.spi.ProviderQuirk.TOOL_CHOICE_AUTO_OR_NONE;
import static io.feathergate.core.spi.ProviderQuirk.TOOL_CHOICE_REQUIRED_AS_ANY;
import static io.feathergate.core.spi.ProviderSpec.row;

import java.util.List;

/**
 * Every provider the gateway serves, one row each. An OpenAI-compatible provider is one more row
 * with protocol {@code openai}: its endpoint, the environment variables of its key and base URL,
 * the parameters it refuses or renames and its {@link ProviderQuirk}s. A new protocol is one
 * adapter (named in the composition root) and its rows.
 */
public final class ProviderTable {
  private ProviderTable() {}

  /** The protocol of OpenAI's chat completions, which the OpenAI-compatible family speaks. */
  public static final String OPENAI = "openai";

  public static final List<ProviderSpec> ROWS =
      List.of(
          row("openai", OPENAI)
              .base("https://api.openai.com/v1")
              .keys("OPENAI_API_KEY")
              .bases("OPENAI_BASE_URL", "OPENAI_API_BASE")
              .organization("OPENAI_ORGANIZATION")
              .setting("use_chat_completions_api")
              .build(),
          row("anthropic", "anthropic")
              .base("https://api.anthropic.com")
              .keys("ANTHROPIC_API_KEY")
              .bases("ANTHROPIC_BASE_URL", "ANTHROPIC_API_BASE")
              .build(),
          row("gemini", "gemini")
              .base("https://generativelanguage.googleapis.com")
              .keys("GEMINI_API_KEY")
              .bases("GEMINI_API_BASE")
              .build(),
          // ------------------------------------------------------------------- Azure
          row("azure", "azure")
              .keys("AZURE_OPENAI_API_KEY", "AZURE_API_KEY")
              .bases("AZURE_API_BASE", "AZURE_OPENAI_ENDPOINT")
              .setting("api_version", "AZURE_API_VERSION", "OPENAI_API_VERSION")
              .setting("use_chat_completions_api")
              .setting("azure_ad_token", "AZURE_AD_TOKEN")
              .setting("tenant_id", "AZURE_TENANT_ID")
              .setting("client_id", "AZURE_CLIENT_ID")
              .setting("client_secret", "AZURE_CLIENT_SECRET")
              .setting("azure_authority_host", "AZURE_AUTHORITY_HOST")
              .setting("azure_scope", "AZURE_SCOPE")
              .build(),
          row("azure_ai", "azure")
              .keys("AZURE_AI_API_KEY")
              .bases("AZURE_AI_API_BASE")
              .setting("api_version")
              .build(),
          // ------------------------------------------------------------------- AWS Bedrock
          // the public endpoint follows the region: the adapter builds it, this one is the default
          row("bedrock", "bedrock")
              .base("https://bedrock-runtime.us-west-2.amazonaws.com")
              .keys("AWS_BEARER_TOKEN_BEDROCK")
              .setting("aws_access_key_id", "AWS_ACCESS_KEY_ID")
              .setting("aws_secret_access_key", "AWS_SECRET_ACCESS_KEY")
              .setting("aws_session_token", "AWS_SESSION_TOKEN")
              .setting("aws_region_name", "AWS_REGION_NAME", "AWS_REGION", "AWS_DEFAULT_REGION")
              .setting("aws_bedrock_runtime_endpoint", "AWS_BEDROCK_RUNTIME_ENDPOINT")
              .build(),
          // ------------------------------------------------------------------- Vertex AI
          // the host follows the location: the adapter builds it; api_base gives scheme and host
          row("vertex_ai", "vertex")
              .base("https://us-central1-aiplatform.googleapis.com")
              .setting("vertex_project", "VERTEXAI_PROJECT", "VERTEX_PROJECT")
              .setting("vertex_location", "VERTEXAI_LOCATION", "VERTEX_LOCATION")
              .setting(
                  "vertex_credentials", "VERTEXAI_CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIALS")
              .build(),
          // ------------------------------------------------------------------- Ollama
          row("ollama_chat", "ollama")
              .base("http://localhost:11434")
              .keys("OLLAMA_API_KEY")
              .bases("OLLAMA_API_BASE")
              .build(),
          row("ollama", "ollama")
              .base("http://localhost:11434")
              .keys("OLLAMA_API_KEY")
              .bases("OLLAMA_API_BASE")
              .build(),
          // ---------------------------------------------------------- the OpenAI-compatible family
          row("groq", OPENAI)
              .base("https://api.groq.com/openai/v1")
              .keys("GROQ_API_KEY")
              .bases("GROQ_API_BASE")
              .build(),
          row("mistral", OPENAI)
              .base("https://api.mistral.ai/v1")
              .keys("MISTRAL_API_KEY")
              .bases("MISTRAL_API_BASE")
              .allowsOnly(
                  "stream_options",
                  "temperature",
                  "top_p",
                  "max_tokens",
                  "max_completion_tokens",
                  "tools",
                  "tool_choice",
                  "seed",
                  "stop",
                  "response_format",
                  "parallel_tool_calls",
                  "n",
                  "presence_penalty",
                  "frequency_penalty")
              .maxTokensOnly()
              .renames("seed", "random_seed")
              .quirks(
                  TOOL_CHOICE_REQUIRED_AS_ANY,
                  NO_MESSAGE_NAMES,
                  TEXT_CONTENT_AS_STRING,
                  NO_STREAM_OPTIONS)
              .build(),
          row("deepseek", OPENAI)
              .base("https://api.deepseek.com/beta")
              .keys("DEEPSEEK_API_KEY")
              .bases("DEEPSEEK_API_BASE")
              .quirks(TEXT_CONTENT_AS_STRING)
              .build(),
          row("together_ai", OPENAI)
              .base("https://api.together.xyz/v1")
              .keys(
                  "TOGETHER_API_KEY",
                  "TOGETHER_AI_API_KEY",
                  "TOGETHERAI_API_KEY",
                  "TOGETHER_AI_TOKEN")
              .bases("TOGETHER_AI_API_BASE")
              .quirks(NO_TEXT_RESPONSE_FORMAT)
              .build(),
          row("fireworks_ai", OPENAI)
              .base("https://api.fireworks.ai/inference/v1")
              .keys(
                  "FIREWORKS_API_KEY",
                  "FIREWORKS_AI_API_KEY",
                  "FIREWORKSAI_API_KEY",
                  "FIREWORKS_AI_TOKEN")
              .bases("FIREWORKS_API_BASE")
              .maxTokensOnly()
              .quirks(TOOL_CHOICE_REQUIRED_AS_ANY, FIREWORKS_MODEL_PATH)
              .build(),
          row("openrouter", OPENAI)
              .base("https://openrouter.ai/api/v1")
              .keys("OPENROUTER_API_KEY", "OR_API_KEY")
              .bases("OPENROUTER_API_BASE")
              .header("HTTP-Referer", "OR_SITE_URL")
              .header("X-Title", "OR_APP_NAME")
              .quirks(REASONING_AS_REASONING_CONTENT)
              .build(),
          row("xai", OPENAI)
              .base("https://api.x.ai/v1")
              .keys("XAI_API_KEY")
              .bases("XAI_API_BASE")
              .maxTokensOnly()
              .quirks(NO_MESSAGE_NAMES, NO_STRICT_TOOLS, EMPTY_FINISH_REASON_OF_TOOL_CALLS)
              .build(),
          row("perplexity", OPENAI)
              .base("https://api.perplexity.ai")
              .keys("PERPLEXITYAI_API_KEY", "PERPLEXITY_API_KEY")
              .bases("PERPLEXITY_API_BASE")
              .allowsOnly(
                  "stream_options",
                  "frequency_penalty",
                  "max_tokens",
                  "max_completion_tokens",
                  "presence_penalty",
                  "response_format",
                  "temperature",
                  "top_p",
                  "reasoning_effort",
                  "web_search_options")
              .build(),
          row("cerebras", OPENAI)
              .base("https://api.cerebras.ai/v1")
              .keys("CEREBRAS_API_KEY")
              .bases("CEREBRAS_API_BASE")
              .allowsOnly(
                  "stream_options",
                  "max_tokens",
                  "max_completion_tokens",
                  "response_format",
                  "seed",
                  "stop",
                  "temperature",
                  "top_p",
                  "tool_choice",
                  "tools",
                  "parallel_tool_calls",
                  "user",
                  "reasoning_effort")
              .maxTokensOnly()
              .build(),
          row("deepinfra", OPENAI)
              .base("https://api.deepinfra.com/v1/openai")
              .keys("DEEPINFRA_API_KEY")
              .bases("DEEPINFRA_API_BASE")
              .maxTokensOnly()
              .quirks(TOOL_CHOICE_AUTO_OR_NONE)
              .build(),
          row("nvidia_nim", OPENAI)
              .base("https://integrate.api.nvidia.com/v1")
              .keys("NVIDIA_NIM_API_KEY")
              .bases("NVIDIA_NIM_API_BASE")
              .maxTokensOnly()
              .build(),
          row("sambanova", OPENAI)
              .base("https://api.sambanova.ai/v1")
              .keys("SAMBANOVA_API_KEY")
              .bases("SAMBANOVA_API_BASE")
              .maxTokensOnly()
              .quirks(TEXT_CONTENT_AS_STRING)
              .build(),
          // self-hosted servers: no public endpoint, and a key only when the server wants one
          row("hosted_vllm", OPENAI)
              .keys("HOSTED_VLLM_API_KEY")
              .bases("HOSTED_VLLM_API_BASE")
              .quirks(NO_STRICT_TOOLS)
              .build(),
          // OpenAI's legacy text completions (gpt-3.5-turbo-instruct), and servers that have them
          row("text-completion-openai", OPENAI)
              .base("https://api.openai.com/v1")
              .keys("OPENAI_API_KEY")
              .bases("OPENAI_BASE_URL", "OPENAI_API_BASE")
              .organization("OPENAI_ORGANIZATION")
              .build(),
          // rerankers: Cohere's chat through its OpenAI compatibility API, its rerank at
          // /v2/rerank;
          // Jina AI's embeddings and rerank at their OpenAI-style paths
          row("cohere", OPENAI)
              .base("https://api.cohere.ai/compatibility/v1")
              .keys("COHERE_API_KEY", "CO_API_KEY")
              .bases("COHERE_API_BASE")
              .build(),
          row("jina_ai", OPENAI)
              .base("https://api.jina.ai/v1")
              .keys("JINA_AI_API_KEY")
              .bases("JINA_AI_API_BASE")
              .build(),
          row("lm_studio", OPENAI).keys("LM_STUDIO_API_KEY").bases("LM_STUDIO_API_BASE").build(),
          row("litellm_proxy", OPENAI)
              .keys("LITELLM_PROXY_API_KEY")
              .bases("LITELLM_PROXY_API_BASE")
              .build());

  /** The row named {@code name}. */
  public static ProviderSpec get(String name) {
    for (ProviderSpec row : ROWS) {
      if (row.name().equals(name)) {
        return row;
      }
    }
    throw new IllegalArgumentException("no provider named " + name);
  }
}
