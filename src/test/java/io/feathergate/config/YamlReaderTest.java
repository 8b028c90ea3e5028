package io.feathergate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** YAML 1.1 as PyYAML reads it, which is what LiteLLM configs are written for. */
class YamlReaderTest {

  private static Map<String, Object> read(String yaml) {
    return Values.mapping(YamlReader.read(yaml, "t.yaml").root(), "");
  }

  @Test
  void aNumberTooLargeForYaml11IsRefusedWithoutQuotingIt() {
    // found by the config fuzzer: a sexagesimal integer whose first part overflows
    assertThatThrownBy(() -> YamlReader.read("a: 22222222222222222222:22\n", "t.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("t.yaml: not valid YAML")
        .hasMessageNotContaining("2222");
  }

  @Test
  void aMappingThatMergesItselfIsRefusedAsAConfigError() {
    // found by the config fuzzer: SnakeYAML fails merging a mapping into itself with a
    // ConcurrentModificationException, which stopped the start with a Java stack trace
    assertThatThrownBy(
            () ->
                YamlReader.read(
                    """
                    model_list:
                      - model_name: m
                        litellm_params: &params
                          <<: *params
                          api_key: os.environ/SECRET_TOKEN
                          <<: *params
                    """,
                    "t.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("t.yaml: not valid YAML")
        .hasMessageNotContaining("SECRET")
        .hasMessageNotContaining("Exception");
  }

  @Test
  void aMappingKeyThatContainsItselfIsRefusedAsAConfigError() {
    // found by the config fuzzer: SnakeYAML hashed the key forever (a StackOverflowError)
    assertThatThrownBy(() -> YamlReader.read("? a: &c\n    m: *c\n", "t.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("t.yaml: not valid YAML")
        .hasMessageNotContaining("Error");
  }

  @Test
  void aKeyThatIsAMappingOrAListIsRefusedAsPyYamlRefusesIt() {
    for (String yaml :
        new String[] {
          "? [a, b]\n: 1\n",
          "x:\n  ? {a: 1}\n  : 2\n",
          // a key that is a mapping built by a merge (the fuzzer's case, a key holding itself
          // whose text never ended, is among the fuzz test's kept inputs)
          "x: &c\n  ? y\n  : 1\n? &k\n  a: 1\n  <<: *c\n: 3\n"
        }) {
      assertThatThrownBy(() -> YamlReader.read(yaml, "t.yaml"))
          .as(yaml)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("t.yaml: not usable: a mapping key that is a mapping or a list");
    }
  }

  @Test
  void underscoreIntegersAndPythonStyleBooleansAreNumbersAndBooleans() {
    Map<String, Object> root =
        read("tpm: 80_000\nbig: 9_000_000_000\na: True\nb: false\nc: \"true\"\n");

    assertThat(root.get("tpm")).isEqualTo(80_000);
    assertThat(root.get("big")).isEqualTo(9_000_000_000L);
    assertThat(root.get("a")).isEqualTo(Boolean.TRUE);
    assertThat(root.get("b")).isEqualTo(Boolean.FALSE);
    assertThat(root.get("c")).isEqualTo("true");
  }

  @Test
  void flowStyleJsonInsideYamlReadsAsListsAndMappings() {
    Map<String, Object> root = read("fallbacks: [{\"gpt-4o\": [\"claude-3\", \"gpt-4o-mini\"]}]\n");

    assertThat(root.get("fallbacks"))
        .isEqualTo(List.of(Map.of("gpt-4o", List.of("claude-3", "gpt-4o-mini"))));
  }

  @Test
  void mergeKeysCopyAnAnchoredMappingAndLocalKeysWin() {
    Map<String, Object> root =
        read(
            """
            base: &base {model: openai/gpt-4o, timeout: 30}
            derived:
              <<: *base
              timeout: 5
            """);

    assertThat(root.get("derived")).isEqualTo(Map.of("model", "openai/gpt-4o", "timeout", 5));
  }

  @Test
  void nonStringKeysBecomeStrings() {
    Map<String, Object> root = read("1: one\ntrue: yes\n");

    assertThat(root).containsOnlyKeys("1", "true");
    assertThat(root.get("true")).isEqualTo(Boolean.TRUE);
  }

  @Test
  void anEmptyDocumentHasNoRoot() {
    assertThat(YamlReader.read("", "t.yaml").root()).isNull();
    assertThat(YamlReader.read("---\n# only a comment\n", "t.yaml").root()).isNull();
  }

  @Test
  void manyAliasesAreAllowedButAnAnchorInsideItselfIsRefused() {
    StringBuilder yaml = new StringBuilder("h: &h {X-A: b}\nlist:\n");
    for (int i = 0; i < 500; i++) {
      yaml.append("  - *h\n");
    }
    assertThat(Values.list(read(yaml.toString()).get("list"), "list")).hasSize(500);

    assertThatThrownBy(() -> YamlReader.read("a: &a [*a]\n", "t.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("t.yaml: not usable: an anchor refers to itself");
  }

  @Test
  void duplicateKeysKeepTheLastValueAndAreNoted() {
    YamlReader.Document document =
        YamlReader.read("model_list: []\nmodel_list:\n  - model_name: m\n", "t.yaml");

    assertThat(Values.mapping(document.root(), "").get("model_list")).isInstanceOf(List.class);
    assertThat(document.duplicateKeys())
        .containsExactly("line 2: duplicate key 'model_list'; the last one wins");
  }

  @Test
  void duplicateKeysReachTheWarningsAndMergeOverridesDoNot() {
    var config =
        Configs.load(
            """
            model_list:
              - model_name: a
                litellm_params: &p {model: gpt-4o, temperature: 1}
              - model_name: b
                litellm_params:
                  <<: *p
                  temperature: 0
                  temperature: 0.5
            """);

    assertThat(config.warnings())
        .containsExactly("config.yaml: line 8: duplicate key 'temperature'; the last one wins");
    assertThat(Configs.group(config, "b").defaultParams().get("temperature").doubleValue())
        .isEqualTo(0.5);
  }

  @Test
  void pythonTagsAreRefusedWithThePositionOnly() {
    assertThatThrownBy(
            () -> YamlReader.read("cb: !!python/object/apply:os.system [\"id\"]\n", "t.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("t.yaml: not valid YAML at line 1, column 5: ")
        .hasMessageNotContaining("\"id\"");
  }
}
