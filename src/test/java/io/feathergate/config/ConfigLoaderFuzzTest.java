package io.feathergate.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The config loader, fuzzed with any text: it loads a config (with its warnings and errors) or
 * refuses the file with a {@link ConfigException} naming the problem; anything else thrown is a
 * crash.
 */
class ConfigLoaderFuzzTest {
  private static final Set<String> PROVIDERS =
      Set.of("openai", "anthropic", "gemini", "azure", "bedrock", "vertex", "ollama");

  @FuzzTest(maxDuration = "10s")
  void configs(byte[] file) {
    String yaml = new String(file, StandardCharsets.UTF_8);
    try {
      new ConfigLoader(Map.of("OPENAI_API_KEY", "sk-fuzz"), PROVIDERS).load(yaml, "fuzz.yaml");
    } catch (ConfigException refused) {
      // a file the gateway cannot use, said so
    }
  }

  /**
   * The long run of {@link #configs}, for the benchmark's {@code fuzz} part: ten million inputs (in
   * a plain test run, like every fuzz test, it replays its kept inputs only).
   */
  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void configsLongRun(byte[] file) {
    configs(file);
  }
}
