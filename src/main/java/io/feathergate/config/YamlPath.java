package io.feathergate.config;

/** Builds the YAML paths that messages name: {@code model_list[3].litellm_params.api_key}. */
final class YamlPath {
  private YamlPath() {}

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String index(String path, int index) {
    return path + "[" + index + "]";
  }
}
