package io.feathergate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.feathergate.launcher.LaunchOptions.Action;
import io.feathergate.launcher.LaunchOptions.UsageException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LaunchOptionsTest {

  @Test
  void noArgumentsListensOnLoopbackPort4000LikeLiteLlm() throws Exception {
    LaunchOptions options = LaunchOptions.parse();

    assertThat(options).isEqualTo(new LaunchOptions(Action.RUN, "127.0.0.1", 4000, null, null));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--bind|0.0.0.0:8080|0.0.0.0|8080",
        "--bind|8080|127.0.0.1|8080",
        "--bind|localhost:0|localhost|0",
        "--bind|[::1]:4001|::1|4001",
        "--bind|[::]:4001|::|4001",
        "--port|9000|127.0.0.1|9000",
        "--host|0.0.0.0|0.0.0.0|4000",
      })
  void bindHostAndPortForms(String option, String value, String host, int port) throws Exception {
    LaunchOptions separate = LaunchOptions.parse(option, value);
    LaunchOptions joined = LaunchOptions.parse(option + "=" + value);

    assertThat(separate.host()).isEqualTo(host);
    assertThat(separate.port()).isEqualTo(port);
    assertThat(joined).isEqualTo(separate);
  }

  @Test
  void checkListensOnAFreeLoopbackPortUnlessToldWhere() throws Exception {
    assertThat(LaunchOptions.parse("--check"))
        .isEqualTo(new LaunchOptions(Action.CHECK, "127.0.0.1", 0, null, null));
    assertThat(LaunchOptions.parse("--bind", "0.0.0.0:4001", "--check").port()).isEqualTo(4001);
    assertThat(LaunchOptions.parse("--check", "--port", "4002").port()).isEqualTo(4002);
    assertThat(LaunchOptions.parse("--check", "--host", "0.0.0.0").port()).isZero();
  }

  @Test
  void laterOptionsOverrideEarlierOnes() throws Exception {
    LaunchOptions options = LaunchOptions.parse("--bind", "0.0.0.0:1234", "--port", "5678");

    assertThat(options.host()).isEqualTo("0.0.0.0");
    assertThat(options.port()).isEqualTo(5678);
  }

  @Test
  void configBecomesAnAbsolutePathSoTheServerCanResolveItFromAnyDirectory() throws Exception {
    LaunchOptions options = LaunchOptions.parse("--config", "conf/../config.yaml");

    assertThat(options.config()).isEqualTo(Path.of("config.yaml").toAbsolutePath()).isAbsolute();
  }

  @Test
  void dataDirBecomesAnAbsolutePathAndNeedsAValue() throws Exception {
    assertThat(LaunchOptions.parse("--data-dir", "keys").dataDir())
        .isEqualTo(Path.of("keys").toAbsolutePath());
    assertThat(LaunchOptions.parse("--data-dir=/var/lib/feathergate").dataDir())
        .isEqualTo(Path.of("/var/lib/feathergate"));
    assertThatThrownBy(() -> LaunchOptions.parse("--data-dir"))
        .isInstanceOf(LaunchOptions.UsageException.class);
    assertThatThrownBy(() -> LaunchOptions.parse("--data-dir="))
        .hasMessageContaining("--data-dir needs a directory");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h"})
  void helpWinsOverWhateverFollows(String help) throws Exception {
    assertThat(LaunchOptions.parse("--port", "1", help, "--nonsense").action())
        .isEqualTo(Action.HELP);
  }

  @Test
  void versionIsAnAction() throws Exception {
    assertThat(LaunchOptions.parse("--version").action()).isEqualTo(Action.VERSION);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--frobnicate|unknown option --frobnicate",
        "config.yaml|unexpected argument config.yaml",
        "--config|--config needs a value",
        "--bind|--bind needs a value",
        "--port=65536|not a port number: '65536'",
        "--port=-1|not a port number: '-1'",
        "--bind=host:http|not a port number: 'http'",
        "--bind=::1:4000|write IPv6 addresses as [::1]:4000",
        "--bind=[::1]4000|expected [IPv6]:PORT",
        "--bind=:4000|empty host",
        "--config=|--config needs a file name",
      })
  void mistakesAreReportedByName(String argument, String message) {
    assertThatThrownBy(() -> LaunchOptions.parse(argument))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(message);
  }

  @Test
  void anOptionIsNotTakenAsTheValueOfAnother() {
    assertThatThrownBy(() -> LaunchOptions.parse("--config", "--bind", "8080"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--config needs a value");
  }
}
