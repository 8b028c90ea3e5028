package io.feathergate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.feathergate.core.GatewayConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that cannot be used at all throw {@link ConfigException} naming the file. */
class ConfigFileTest {
  private final ConfigLoader loader = new ConfigLoader(Map.of(), Configs.OPENAI_ONLY);

  @TempDir Path dir;

  @Test
  void aFileLoadsAndItsPathNamesItInMessages() throws IOException {
    Path file = write("litellm.yaml", "model_list:\n  - model_name: m\n");

    GatewayConfig config = loader.load(file);

    assertThat(config.source()).isEqualTo(file.toString());
    assertThat(config.errors())
        .containsExactly(
            file + ": model_list[0].litellm_params: missing required key; deployment skipped");
  }

  @Test
  void aMissingFileNamesTheFile() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> loader.load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage(missing + ": config file not found");
  }

  @Test
  void aDirectoryIsNotAConfigFile() {
    assertThatThrownBy(() -> loader.load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessage(dir + ": is a directory, not a config file");
  }

  @Test
  void invalidYamlGivesFileLineAndColumn() throws IOException {
    Path file = write("config.yaml", "model_list:\n  - model_name: m\n   litellm_params: {\n");

    assertThatThrownBy(() -> loader.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": not valid YAML at line 3, column ");
  }

  @Test
  void aTopLevelThatIsNotAMappingIsRefused() throws IOException {
    Path list = write("list.yaml", "- model_name: m\n");
    Path scalar = write("scalar.yaml", "just text\n");

    assertThatThrownBy(() -> loader.load(list))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            list + ": the top level must be a mapping of sections such as model_list, got a list");
    assertThatThrownBy(() -> loader.load(scalar))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("got text");
  }

  @Test
  void aFileThatIsNotUtf8IsRefused() throws IOException {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, "model_list: [] # caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> loader.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ": config file is not UTF-8 text");
  }

  @Test
  void anEmptyFileOrOneWithOnlyCommentsIsAnEmptyConfig() throws IOException {
    for (String text : new String[] {"", "# nothing configured yet\n", "\uFEFF\n"}) {
      GatewayConfig config = loader.load(write("empty.yaml", text));

      assertThat(config.deployments()).isEmpty();
      assertThat(config.errors()).isEmpty();
      assertThat(config.warnings()).isEmpty();
      assertThat(config.settings().authRequired()).isFalse();
    }
  }

  @Test
  void tagsThatWouldBuildObjectsAreRefused() throws IOException {
    Path file = write("evil.yaml", "model_list: !!javax.script.ScriptEngineManager [x]\n");

    assertThatThrownBy(() -> loader.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": not valid YAML at line 1");
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }
}
