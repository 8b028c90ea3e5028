package io.feathergate.config;

import static io.feathergate.config.Configs.load;
import static io.feathergate.config.Configs.only;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.GatewayConfig;
import io.feathergate.wire.Json;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code model_list} entries: fields, provider strings, defaults, ids, and broken entries. */
class ModelListTest {

  @Test
  void everyLitellmParamsFieldReachesTheDeployment() {
    Deployment deployment =
        only(
            load(
                """
                model_list:
                  - model_name: local-llama
                    litellm_params:
                      model: llama-3.1-8b
                      custom_llm_provider: openai
                      api_key: sk-local-1
                      api_base: http://vllm.internal:8000/v1
                      organization: org-research
                      timeout: 12.5
                      stream_timeout: "7"
                      max_retries: "3"
                      extra_headers:
                        X-Team: research
                        X-Priority: 2
                """));

    assertThat(deployment.modelGroup()).isEqualTo("local-llama");
    assertThat(deployment.provider()).isEqualTo("openai");
    assertThat(deployment.upstreamModel()).isEqualTo("llama-3.1-8b");
    assertThat(deployment.apiKey().matches("sk-local-1")).isTrue();
    assertThat(deployment.apiBase()).isEqualTo(URI.create("http://vllm.internal:8000/v1"));
    assertThat(deployment.organization()).isEqualTo("org-research");
    assertThat(deployment.timeout()).isEqualTo(Duration.ofMillis(12_500));
    assertThat(deployment.streamTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(deployment.maxRetries()).isEqualTo(3);
    assertThat(deployment.mockResponse()).isNull();
    assertThat(deployment.extraHeaders())
        .isEqualTo(Map.of("X-Team", "research", "X-Priority", "2"));
    assertThat(deployment.defaultParams()).isEmpty();
  }

  @Test
  void otherKeysBecomeDefaultRequestParametersButRouterAndCredentialKeysNever() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: tuned
                litellm_params:
                  model: openai/gpt-4o
                  api_key: sk-never-a-param
                  temperature: 0.3
                  max_tokens: 512
                  seed: 7
                  stop: ["END"]
                  response_format: {type: json_object}
                  prompt_cache_key: tenant-a
                  extra_body: {reasoning_effort: low}
                  rpm: 60
                  tpm: 80_000
                  itpm: 1
                  otpm: 1
                  weight: 2
                  order: 1
                  num_retries: 2
                  max_parallel_requests: 10
                  cooldown_time: 30
                  drop_params: true
                  additional_drop_params: ["logit_bias"]
                  api_version: "2024-06-01"
                  vertex_project: p
                  vertex_location: us-central1
                  vertex_credentials: /secrets/sa.json
                  aws_access_key_id: AKIA-never
                  aws_secret_access_key: never
                  aws_region_name: eu-west-1
                  azure_ad_token: never
                  model_info: {mode: chat}
                  metadata: {team: a}
                  litellm_trace_id: t-1
                  my_custom_token: never
            """);

    Deployment deployment = only(config);
    assertThat(deployment.defaultParams())
        .containsOnlyKeys(
            "temperature",
            "max_tokens",
            "seed",
            "stop",
            "response_format",
            "prompt_cache_key",
            "reasoning_effort");
    assertThat(deployment.defaultParams().get("response_format"))
        .isEqualTo(Json.MAPPER.createObjectNode().put("type", "json_object"));
    assertThat(deployment.defaultParams().get("stop").get(0).asText()).isEqualTo("END");
    assertThat(config.errors()).isEmpty();
    assertThat(config.warnings())
        .containsExactly(
            "config.yaml: model_list[0].litellm_params.my_custom_token: looks like a credential:"
                + " never sent as a request parameter; ignored");
  }

  @Test
  void litellmParamsThatAreNotSupportedYetWarnOnceEachAndAreNotSentUpstream() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: a
                litellm_params:
                  model: openai/gpt-4o
                  tags: ["paid"]
                  region_name: eu
                  input_cost_per_token: 0.000001
                  max_budget: 10
                  mock_timeout: True
                  litellm_credential_name: openai-prod
                  initial_prompt_value: "hi"
                  keepalive_seconds: 30
            """);

    assertThat(only(config).defaultParams()).isEmpty();
    // a price is read, not forwarded
    assertThat(only(config).prices().overrides().input()).isEqualTo(0.000001);
    assertThat(config.warnings())
        .containsExactly(
            "config.yaml: model_list[0].litellm_params.tags: tag routing is not supported yet;"
                + " ignored",
            "config.yaml: model_list[0].litellm_params.region_name: accepted but not honoured yet;"
                + " ignored",
            "config.yaml: model_list[0].litellm_params.max_budget: budgets are not supported yet;"
                + " ignored",
            "config.yaml: model_list[0].litellm_params.mock_timeout: not supported by FeatherGate"
                + " yet; ignored",
            "config.yaml: model_list[0].litellm_params.litellm_credential_name: credential_list is"
                + " not supported yet: this deployment uses only the credentials written in its"
                + " litellm_params",
            "config.yaml: model_list[0].litellm_params.initial_prompt_value: not supported by"
                + " FeatherGate yet; ignored",
            "config.yaml: model_list[0].litellm_params.keepalive_seconds: not supported by"
                + " FeatherGate yet; ignored");
  }

  @Test
  void tpmAndRpmBesideLitellmParamsAndModelInfoMetadataAreAccepted() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: gpt-4o
                litellm_params: {model: gpt-4o}
                tpm: 100000
                rpm: 600
                model_info:
                  id: gpt-4o-east
                  mode: chat
                  base_model: gpt-4o-2024-08-06
                  supports_vision: true
            """);

    assertThat(only(config).id()).isEqualTo("gpt-4o-east");
    assertThat(config.warnings()).isEmpty();
    assertThat(config.errors()).isEmpty();
  }

  @Test
  void mockResponseServesWithoutKeyOrProviderAdapter() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: fake-openai
                litellm_params: {model: openai/fake, mock_response: "Hi there"}
              - model_name: fake-claude
                litellm_params: {model: anthropic/claude-3-5-sonnet, mock_response: "Hello"}
            """);

    assertThat(config.errors()).isEmpty();
    assertThat(config.deployments())
        .extracting(Deployment::modelGroup, Deployment::provider, Deployment::mockResponse)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("fake-openai", "openai", "Hi there"),
            org.assertj.core.groups.Tuple.tuple("fake-claude", "anthropic", "Hello"));
  }

  @Nested
  class ProviderStrings {

    @Test
    void unsupportedProviderIsSkippedWithFilePathAndProvider() {
      GatewayConfig config =
          load(
              """
              model_list:
                - model_name: gpt-4o
                  litellm_params: {model: openai/gpt-4o}
                - model_name: claude
                  litellm_params: {model: claude-3-5-sonnet-20241022, api_key: sk-ant-x}
              """);

      assertThat(only(config).modelGroup()).isEqualTo("gpt-4o");
      assertThat(config.errors())
          .containsExactly(
              "config.yaml: model_list[1].litellm_params.model: provider 'anthropic' is not"
                  + " supported yet by this FeatherGate; deployment skipped");
    }

    @Test
    void customLlmProviderIsPrefixedAndAnyProviderListedAsSupportedLoads() {
      GatewayConfig config =
          new ConfigLoader(Map.of(), Set.of("openai", "groq"))
              .load(
                  """
                  model_list:
                    - model_name: llama
                      litellm_params: {model: llama3-8b-8192, custom_llm_provider: groq}
                    - model_name: llama-prefixed
                      litellm_params: {model: groq/llama3-8b-8192, custom_llm_provider: groq}
                    - model_name: router
                      litellm_params: {model: openrouter/anthropic/claude-3, api_key: k}
                  """,
                  "config.yaml");

      assertThat(config.deployments())
          .extracting(Deployment::provider, Deployment::upstreamModel)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("groq", "llama3-8b-8192"),
              org.assertj.core.groups.Tuple.tuple("groq", "llama3-8b-8192"));
      assertThat(config.errors())
          .containsExactly(
              "config.yaml: model_list[2].litellm_params.model: provider 'openrouter' is not"
                  + " supported yet by this FeatherGate; deployment skipped");
    }

    @Test
    void aModelWithoutProviderIsAnErrorThatSaysHowToWriteIt() {
      GatewayConfig config =
          load(
              """
              model_list:
                - model_name: mine
                  litellm_params: {model: my-fine-model, api_base: http://localhost:8000/v1}
              """);

      assertThat(config.deployments()).isEmpty();
      assertThat(config.errors())
          .containsExactly(
              "config.yaml: model_list[0].litellm_params.model: LLM Provider NOT provided for"
                  + " model 'my-fine-model'. Write it as provider/model, e.g. openai/my-fine-model"
                  + " (with api_base for any OpenAI-compatible server); deployment skipped");
    }

    @Test
    void openAiPrefixWithApiBaseReachesAnyOpenAiCompatibleServer() {
      Deployment deployment =
          only(
              load(
                  """
                  model_list:
                    - model_name: qwen
                      litellm_params:
                        model: openai/Qwen/Qwen2.5-7B-Instruct
                        api_base: https://llm.internal.example/v1/
                  """));

      assertThat(deployment.provider()).isEqualTo("openai");
      assertThat(deployment.upstreamModel()).isEqualTo("Qwen/Qwen2.5-7B-Instruct");
      assertThat(deployment.apiBase()).isEqualTo(URI.create("https://llm.internal.example/v1/"));
    }
  }

  @Nested
  class Wildcards {

    @Test
    void aModelNameWithOneStarIsAWildcardGroupAndTheUpstreamKeepsItsStar() {
      GatewayConfig config =
          load(
              """
              model_list:
                - model_name: "*"
                  litellm_params: {model: "openai/*"}
                - model_name: "openai/*"
                  litellm_params: {model: "openai/*"}
                - model_name: "team-*"
                  litellm_params: {model: "openai/gpt-4o"}
              """);

      assertThat(config.errors()).isEmpty();
      assertThat(config.deployments()).allMatch(Deployment::isWildcard);
      assertThat(config.deployments())
          .extracting(Deployment::upstreamModel)
          .containsExactly("*", "*", "gpt-4o");
    }

    @Test
    void moreThanOneStarIsAnError() {
      GatewayConfig config =
          load(
              """
              model_list:
                - model_name: "fo::*:static::*"
                  litellm_params: {model: "openai/*"}
              """);

      assertThat(config.deployments()).isEmpty();
      assertThat(config.errors())
          .containsExactly(
              "config.yaml: model_list[0].model_name: may contain at most one '*' wildcard;"
                  + " deployment skipped");
    }
  }

  @Nested
  class BrokenEntries {

    @Test
    void eachBrokenEntryIsSkippedWithItsExactPathAndTheGoodOnesLoad() {
      GatewayConfig config =
          load(
              """
              model_list:
                - just-a-name
                - litellm_params: {model: openai/gpt-4o}
                - model_name: no-params
                - model_name: params-list
                  litellm_params: [openai/gpt-4o]
                - model_name: no-model
                  litellm_params: {api_key: sk-x}
                - model_name: model-number
                  litellm_params: {model: 4}
                - model_name: zero-timeout
                  litellm_params: {model: openai/gpt-4o, timeout: 0}
                - model_name: word-timeout
                  litellm_params: {model: openai/gpt-4o, stream_timeout: soon}
                - model_name: negative-retries
                  litellm_params: {model: openai/gpt-4o, max_retries: -1}
                - model_name: ftp-base
                  litellm_params: {model: openai/gpt-4o, api_base: "ftp://files.example/v1"}
                - model_name: relative-base
                  litellm_params: {model: openai/gpt-4o, api_base: "/v1"}
                - model_name: headers-list
                  litellm_params: {model: openai/gpt-4o, extra_headers: [a, b]}
                - model_name: bad-header
                  litellm_params:
                    model: openai/gpt-4o
                    extra_headers: {"Bad Header": x}
                - model_name: empty-provider-model
                  litellm_params: {model: "openai/"}
                - model_name: good
                  litellm_params: {model: openai/gpt-4o}
              """);

      assertThat(only(config).modelGroup()).isEqualTo("good");
      assertThat(config.errors())
          .containsExactly(
              "config.yaml: model_list[0]: expected a mapping with model_name and litellm_params,"
                  + " got text; deployment skipped",
              "config.yaml: model_list[1].model_name: missing required key; deployment skipped",
              "config.yaml: model_list[2].litellm_params: missing required key; deployment skipped",
              "config.yaml: model_list[3].litellm_params: expected a mapping, got a list;"
                  + " deployment skipped",
              "config.yaml: model_list[4].litellm_params.model: missing required key; deployment"
                  + " skipped",
              "config.yaml: model_list[5].litellm_params.model: must be text, got a number;"
                  + " deployment skipped",
              "config.yaml: model_list[6].litellm_params.timeout: must be a positive number of"
                  + " seconds, got a number; deployment skipped",
              "config.yaml: model_list[7].litellm_params.stream_timeout: must be a positive number"
                  + " of seconds, got text; deployment skipped",
              "config.yaml: model_list[8].litellm_params.max_retries: must be a whole number, zero"
                  + " or more, got a number; deployment skipped",
              "config.yaml: model_list[9].litellm_params.api_base: must be an absolute http(s) URL"
                  + " such as https://host/v1; deployment skipped",
              "config.yaml: model_list[10].litellm_params.api_base: must be an absolute http(s) URL"
                  + " such as https://host/v1; deployment skipped",
              "config.yaml: model_list[11].litellm_params.extra_headers: expected a mapping, got a"
                  + " list; deployment skipped",
              "config.yaml: model_list[12].litellm_params.extra_headers.Bad Header: is not a valid"
                  + " HTTP header name; deployment skipped",
              "config.yaml: model_list[13].litellm_params.model: no model name after the provider"
                  + " prefix 'openai/'; deployment skipped");
    }

    @Test
    void emptyOrAbsentModelListIsValid() {
      for (String yaml : List.of("model_list: []\n", "model_list:\n", "general_settings: {}\n")) {
        GatewayConfig config = load(yaml);
        assertThat(config.deployments()).as(yaml).isEmpty();
        assertThat(config.errors()).as(yaml).isEmpty();
        assertThat(config.warnings()).as(yaml).isEmpty();
      }
    }

    @Test
    void aModelListThatIsNotAListIsReportedAndTheSettingsStillLoad() {
      GatewayConfig config =
          load(
              """
              model_list:
                gpt-4o: {model: openai/gpt-4o}
              general_settings:
                master_key: sk-still-read
              """);

      assertThat(config.deployments()).isEmpty();
      assertThat(config.settings().masterKey().matches("sk-still-read")).isTrue();
      assertThat(config.errors())
          .containsExactly(
              "config.yaml: model_list: expected a list of deployments, got a mapping; none"
                  + " loaded");
    }
  }

  @Nested
  class Ids {
    private static final String TWO_ENTRIES =
        """
        model_list:
          - model_name: a
            litellm_params: {model: openai/gpt-4o, api_key: os.environ/KEY_A}
          - model_name: b
            litellm_params: {model: openai/gpt-4o, api_key: os.environ/KEY_B}
        """;

    @Test
    void withoutModelInfoIdTheIdIsAStableHashOfTheEntryAsWritten() {
      GatewayConfig first = load(TWO_ENTRIES, Map.of("KEY_A", "sk-a1", "KEY_B", "sk-b1"));
      // other key values (rotated secrets) and another order of entries keep the ids
      GatewayConfig rotated =
          load(
              """
              model_list:
                - model_name: b
                  litellm_params: {api_key: os.environ/KEY_B, model: openai/gpt-4o}
                - model_name: a
                  litellm_params: {model: openai/gpt-4o, api_key: os.environ/KEY_A}
              """,
              Map.of("KEY_A", "sk-a2", "KEY_B", "sk-b2"));

      assertThat(first.deployments().get(0).id()).matches("[0-9a-f]{16}");
      assertThat(first.deployments().get(0).id()).isNotEqualTo(first.deployments().get(1).id());
      assertThat(rotated.deployments().get(1).id()).isEqualTo(first.deployments().get(0).id());
      assertThat(rotated.deployments().get(0).id()).isEqualTo(first.deployments().get(1).id());
    }

    @Test
    void identicalEntriesGetNumberedIdsAndADuplicateExplicitIdIsAnError() {
      GatewayConfig config =
          load(
              """
              model_list:
                - model_name: a
                  litellm_params: {model: openai/gpt-4o}
                - model_name: a
                  litellm_params: {model: openai/gpt-4o}
                - model_name: b
                  litellm_params: {model: openai/gpt-4o}
                  model_info: {id: prod}
                - model_name: c
                  litellm_params: {model: openai/gpt-4o-mini}
                  model_info: {id: prod}
              """);

      List<String> ids = config.deployments().stream().map(Deployment::id).toList();
      assertThat(ids).hasSize(3);
      assertThat(ids.get(1)).isEqualTo(ids.get(0) + "-2");
      assertThat(ids.get(2)).isEqualTo("prod");
      assertThat(config.errors())
          .containsExactly(
              "config.yaml: model_list[3].model_info.id: id 'prod' is already used by"
                  + " model_list[2]; deployment skipped");
    }

    @Test
    void aListOfOrganizationsExpandsToOneDeploymentEachWithSuffixedIds() {
      GatewayConfig config =
          load(
              """
              model_list:
                - model_name: gpt-4o
                  litellm_params:
                    model: openai/gpt-4o
                    organization: [org-alpha, org-beta]
                  model_info: {id: gpt4o}
              """);

      assertThat(config.deployments())
          .extracting(Deployment::id, Deployment::organization)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("gpt4o-1", "org-alpha"),
              org.assertj.core.groups.Tuple.tuple("gpt4o-2", "org-beta"));
      assertThat(config.deployments()).allMatch(d -> d.modelGroup().equals("gpt-4o"));
    }
  }

  @Nested
  class OpenAiDefaultsFromTheEnvironment {

    @Test
    void keyBaseAndOrganizationComeFromTheEnvironmentWhenNotConfigured() {
      Deployment deployment =
          only(
              load(
                  "model_list: [{model_name: m, litellm_params: {model: gpt-4o}}]",
                  Map.of(
                      "OPENAI_API_KEY", "sk-env",
                      "OPENAI_API_BASE", "https://proxy.example/v1",
                      "OPENAI_ORGANIZATION", "org-env")));

      assertThat(deployment.apiKey().matches("sk-env")).isTrue();
      assertThat(deployment.apiBase()).isEqualTo(URI.create("https://proxy.example/v1"));
      assertThat(deployment.organization()).isEqualTo("org-env");
    }

    @Test
    void openAiBaseUrlWinsOverOpenAiApiBaseAsInLiteLlm() {
      Deployment deployment =
          only(
              load(
                  "model_list: [{model_name: m, litellm_params: {model: gpt-4o}}]",
                  Map.of(
                      "OPENAI_BASE_URL", "https://base-url.example/v1",
                      "OPENAI_API_BASE", "https://api-base.example/v1")));

      assertThat(deployment.apiBase()).isEqualTo(URI.create("https://base-url.example/v1"));
    }

    @Test
    void configuredValuesWinOverTheEnvironment() {
      Deployment deployment =
          only(
              load(
                  """
                  model_list:
                    - model_name: m
                      litellm_params:
                        model: gpt-4o
                        api_key: sk-file
                        api_base: https://file.example/v1
                  """,
                  Map.of("OPENAI_API_KEY", "sk-env", "OPENAI_API_BASE", "https://env.example")));

      assertThat(deployment.apiKey().matches("sk-file")).isTrue();
      assertThat(deployment.apiBase()).isEqualTo(URI.create("https://file.example/v1"));
    }

    @Test
    void anUnusableBaseUrlInTheEnvironmentWarnsOnceAndIsLeftOut() {
      GatewayConfig config =
          load(
              """
              model_list:
                - {model_name: a, litellm_params: {model: gpt-4o}}
                - {model_name: b, litellm_params: {model: gpt-4o-mini}}
              """,
              Map.of("OPENAI_API_BASE", "localhost:8000"));

      assertThat(config.deployments()).hasSize(2).allMatch(d -> d.apiBase() == null);
      assertThat(config.warnings())
          .containsExactly(
              "config.yaml: environment variable OPENAI_API_BASE is not an absolute http(s) URL;"
                  + " openai deployments without api_base use the provider's own endpoint");
    }
  }

  @Nested
  class Timeouts {

    private Deployment deploymentWith(String settings, String params) {
      return only(
          load(
              settings
                  + "\nmodel_list:\n  - model_name: m\n    litellm_params: {model: gpt-4o"
                  + params
                  + "}\n"));
    }

    @Test
    void timeoutFallsBackFromParamsToRouterToRequestTimeoutToTenMinutes() {
      String both = "router_settings: {timeout: 30}\nlitellm_settings: {request_timeout: 90}";
      assertThat(deploymentWith(both, ", timeout: 5").timeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(deploymentWith(both, "").timeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(deploymentWith("litellm_settings: {request_timeout: 90}", "").timeout())
          .isEqualTo(Duration.ofSeconds(90));
      assertThat(deploymentWith("", "").timeout()).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void streamTimeoutFallsBackFromParamsToRouterToTheDeploymentTimeout() {
      String router = "router_settings: {stream_timeout: 15}";
      assertThat(deploymentWith(router, ", stream_timeout: 3").streamTimeout())
          .isEqualTo(Duration.ofSeconds(3));
      assertThat(deploymentWith(router, ", timeout: 40").streamTimeout())
          .isEqualTo(Duration.ofSeconds(15));
      assertThat(deploymentWith("", ", timeout: 40").streamTimeout())
          .isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void anInvalidRouterTimeoutIsReportedAndTheNextDefaultApplies() {
      GatewayConfig config =
          load(
              """
              router_settings: {timeout: -5}
              litellm_settings: {request_timeout: "45"}
              model_list:
                - {model_name: m, litellm_params: {model: gpt-4o}}
              """);

      assertThat(only(config).timeout()).isEqualTo(Duration.ofSeconds(45));
      assertThat(config.errors())
          .containsExactly(
              "config.yaml: router_settings.timeout: must be a positive number of seconds, got a"
                  + " number; using the default");
    }
  }

  @Test
  void defaultParamsKeepTheirJsonTypes() {
    Map<String, JsonNode> params =
        only(load(
                """
                model_list:
                  - model_name: m
                    litellm_params:
                      model: gpt-4o
                      logprobs: True
                      n: 2
                      user: "svc"
                      logit_bias: {"50256": -100}
                """))
            .defaultParams();

    assertThat(params.get("logprobs").isBoolean()).isTrue();
    assertThat(params.get("n").isInt()).isTrue();
    assertThat(params.get("user").isTextual()).isTrue();
    assertThat(params.get("logit_bias").get("50256").intValue()).isEqualTo(-100);
  }
}
