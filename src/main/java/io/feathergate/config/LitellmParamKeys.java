package io.feathergate.config;

import java.util.Locale;
import java.util.Set;

/**
 * What each {@code litellm_params} key is. LiteLLM treats every key it does not know as a default
 * request parameter ({@code temperature}, {@code max_tokens}, ...), so this class lists the keys
 * that are <em>not</em> request parameters: a key listed here never reaches an upstream body.
 */
final class LitellmParamKeys {

  /** Read by {@link DeploymentParser} into the fields of a deployment. */
  static final Set<String> FIELDS =
      Set.of(
          "model",
          "custom_llm_provider",
          "api_key",
          "api_base",
          "base_url", // LiteLLM's alias of api_base
          "organization",
          "timeout",
          "stream_timeout",
          "max_retries",
          "mock_response",
          "extra_headers",
          "headers", // LiteLLM merges extra_headers into headers
          "extra_body", // merged into the default parameters, as the OpenAI SDK merges it
          "http2", // FeatherGate: HTTP/2 to the upstream (auto when absent)
          "http2_max_streams");

  /**
   * The other non-parameter keys.
   *
   * <p>Accepted without a warning: the load-balancing and retry hints (rpm, tpm, weight, order,
   * num_retries, ...) and parameter dropping, which the router and request handling honour; they
   * appear in nearly every entry, so a warning each would drown the log. Provider settings and
   * credentials ({@code api_version}, {@code tenant_id}, {@code aws_*}, {@code vertex_*}) are also
   * accepted: the provider rows that name them read them into the deployment ({@link
   * ProviderSettings}); for other providers they mean nothing. LiteLLM's own bookkeeping ({@code
   * metadata}, {@code litellm_trace_id}, {@code model_info}) changes nothing upstream.
   *
   * <p>Warned about: features a user would expect to work and that do not yet.
   */
  static final KeyRules RULES =
      new KeyRules()
          .accept(FIELDS.toArray(String[]::new))
          .accept(
              "rpm",
              "tpm",
              "itpm",
              "otpm",
              "weight",
              "order",
              "num_retries",
              "max_parallel_requests",
              "cooldown_time",
              "drop_params",
              "additional_drop_params")
          .accept(
              "api_version",
              "vertex_project",
              "vertex_location",
              "vertex_credentials",
              "aws_access_key_id",
              "aws_secret_access_key",
              "aws_session_token",
              "aws_region_name",
              "aws_bedrock_runtime_endpoint",
              "azure_ad_token",
              "azure_username",
              "azure_password",
              "tenant_id",
              "client_id",
              "client_secret",
              "azure_authority_host",
              "azure_scope",
              "vertex_ai_project",
              "vertex_ai_location",
              "vertex_ai_credentials",
              // OpenAI and Azure: the Responses API bridged through chat, for upstreams without it
              "use_chat_completions_api")
          .accept("model_info", "metadata", "litellm_trace_id")
          .warn(
              "credential_list is not supported yet: this deployment uses only the credentials"
                  + " written in its litellm_params",
              "litellm_credential_name")
          .warn("tag routing is not supported yet; ignored", "tags", "tag_regex")
          .accept(
              "input_cost_per_token",
              "output_cost_per_token",
              "cache_read_input_token_cost",
              "cache_creation_input_token_cost",
              "output_cost_per_reasoning_token")
          .warn(
              "prices per second are not supported; the tokens' prices are used",
              "input_cost_per_second",
              "output_cost_per_second")
          .warn("budgets are not supported yet; ignored", "max_budget", "budget_duration")
          .warn(KeyRules.NOT_HONOURED, "region_name")
          .warn(
              "is not supported yet: Bedrock deployments sign with aws_access_key_id,"
                  + " aws_secret_access_key and aws_session_token, or send a Bedrock API key"
                  + " (api_key); assuming a role or a web identity is not done",
              "aws_role_name",
              "aws_session_name",
              "aws_profile_name",
              "aws_web_identity_token",
              "aws_sts_endpoint",
              "aws_external_id")
          .warn(
              KeyRules.NOT_SUPPORTED,
              "mock_timeout",
              "use_in_pass_through",
              "merge_reasoning_content_in_choices",
              "keepalive_seconds",
              "initial_prompt_value",
              "roles",
              "final_prompt_value",
              "bos_token",
              "eos_token");

  static final String LOOKS_LIKE_CREDENTIAL =
      "looks like a credential: never sent as a request parameter; ignored";

  private LitellmParamKeys() {}

  /**
   * Whether an unlisted key names a credential (another provider's key, a password, a token). Such
   * a key is dropped with a warning rather than sent to an upstream as a request parameter: a
   * default parameter travels in every request body and may be echoed back or logged upstream.
   * {@code max_tokens} and {@code prompt_cache_key} are request parameters and do not match.
   */
  static boolean looksLikeCredential(String key) {
    String name = key.toLowerCase(Locale.ROOT);
    if (name.contains("api_key")
        || name.contains("access_key")
        || name.contains("secret")
        || name.contains("password")
        || name.contains("credential")
        || name.contains("authorization")) {
      return true;
    }
    for (String word : name.split("[_\\-.]", -1)) {
      if (word.equals("token") || word.equals("apikey") || word.equals("bearer")) {
        return true;
      }
    }
    return false;
  }
}
