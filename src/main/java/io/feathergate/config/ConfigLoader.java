package io.feathergate.config;

import io.feathergate.core.GatewayConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Reads LiteLLM {@code config.yaml} files into a {@link GatewayConfig}.
 *
 * <p>Only a file that cannot be used at all throws ({@link ConfigException}); every other problem
 * becomes a line in {@link GatewayConfig#warnings()} or {@link GatewayConfig#errors()} for the
 * caller to log, and the rest of the file still loads.
 */
public final class ConfigLoader {
  private final Map<String, String> environment;
  private final Set<String> supportedProviders;

  /**
   * @param environment the process environment (injected so tests can supply their own)
   * @param supportedProviders provider keys that have an adapter; deployments of other providers
   *     are reported and skipped
   */
  public ConfigLoader(Map<String, String> environment, Set<String> supportedProviders) {
    this.environment = Map.copyOf(environment);
    this.supportedProviders = Set.copyOf(supportedProviders);
  }

  /**
   * Loads a config file; messages name it as given.
   *
   * @throws ConfigException when the file is missing, unreadable, not UTF-8, not YAML, or not a
   *     mapping at the top level
   */
  public GatewayConfig load(Path file) {
    return load(read(file), file.toString());
  }

  /**
   * Loads YAML text; {@code sourceName} names it in messages.
   *
   * @throws ConfigException when the text is not YAML or not a mapping at the top level
   */
  public GatewayConfig load(String yaml, String sourceName) {
    return new ConfigParser(environment, supportedProviders, false)
        .parse(YamlReader.read(yaml, sourceName), sourceName);
  }

  /** The built-in default used when no config is found anywhere. */
  public GatewayConfig loadDefault() {
    String sourceName = DefaultConfig.SOURCE_NAME;
    return new ConfigParser(environment, supportedProviders, true)
        .parse(YamlReader.read(DefaultConfig.text(), sourceName), sourceName);
  }

  private static String read(Path file) {
    if (Files.isDirectory(file)) {
      throw new ConfigException(file + ": is a directory, not a config file");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": config file not found");
    } catch (AccessDeniedException e) {
      throw new ConfigException(file + ": config file not readable (permission denied)");
    } catch (IOException e) {
      throw new ConfigException(file + ": config file not readable: " + e.getMessage());
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(file + ": config file is not UTF-8 text");
    }
  }
}
