package io.feathergate.core.spi;

import io.feathergate.core.errors.GatewayException;
import java.util.regex.Pattern;

/**
 * Checks a model name before a provider puts it into an upstream URL. A wildcard group hands the
 * client's own text to the upstream, so without this check {@code ../}, {@code %2e%2e}, {@code ?},
 * {@code #} or {@code @} in a name could take the call, with the configured key attached, to
 * another path or host. Names are checked, not encoded: no real model name needs those characters,
 * and a clear 400 beats a confusing 404 from the upstream.
 */
public final class ModelNames {
  /** One path segment: starts with a letter or digit, so {@code .} and {@code ..} never pass. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]*");

  private ModelNames() {}

  /**
   * Returns {@code model} when it is one safe URL path segment, or {@code collection/name} with a
   * collection from {@code collections} (Gemini's {@code models/} and {@code tunedModels/}).
   *
   * @throws GatewayException 400 naming the model otherwise
   */
  public static String pathSegment(String model, String... collections) {
    int slash = model.indexOf('/');
    String name = model;
    if (slash >= 0) {
      String collection = model.substring(0, slash);
      boolean known = false;
      for (String allowed : collections) {
        known |= allowed.equals(collection);
      }
      if (!known) {
        throw invalid(model);
      }
      name = model.substring(slash + 1);
    }
    if (!SEGMENT.matcher(name).matches()) {
      throw invalid(model);
    }
    return model;
  }

  private static GatewayException invalid(String model) {
    return GatewayException.badRequest(
        "Invalid model name '"
            + model
            + "': a model name may hold letters, digits, '.', '_' and '-' only.",
        "model");
  }
}
