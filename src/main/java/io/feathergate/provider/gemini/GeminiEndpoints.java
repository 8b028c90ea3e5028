package io.feathergate.provider.gemini;

import io.feathergate.core.Deployment;
import io.feathergate.core.spi.ModelNames;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Where a Gemini request goes and with which headers. */
final class GeminiEndpoints {
  static final String API_KEY_HEADER = "x-goog-api-key";

  /** A base that already names an API version keeps it ({@code /v1beta}, {@code /v1alpha}, ...). */
  private static final Pattern VERSION_SEGMENT = Pattern.compile("/v\\d+(?:alpha|beta)?\\d*$");

  private GeminiEndpoints() {}

  /**
   * {@code {base}/v1beta/models/{model}:generateContent}, or {@code :streamGenerateContent?alt=sse}
   * for a stream (without {@code alt=sse} Gemini streams one JSON array instead of events). The
   * base may come with or without its version; a query it carries is dropped, so that no key ever
   * travels in the URL.
   */
  static URI generateContent(URI apiBase, String model, boolean stream) {
    return modelMethod(
        apiBase, model, stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  }

  /** {@code {base}/v1beta/models/{model}:batchEmbedContents}. */
  static URI batchEmbedContents(URI apiBase, String model) {
    return modelMethod(apiBase, model, ":batchEmbedContents");
  }

  /** {@code models/{model}}, or the model's own collection when it names one. */
  static String resource(String model) {
    // tuned models and explicit "models/..." names carry their collection already; the name may be
    // the client's own text (a wildcard group), so it must stay one path segment
    String checked = ModelNames.pathSegment(model, "models", "tunedModels");
    return checked.contains("/") ? checked : "models/" + checked;
  }

  private static URI modelMethod(URI apiBase, String model, String method) {
    URI base = apiBase;
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (!VERSION_SEGMENT.matcher(path).find()) {
      path = path + "/v1beta";
    }
    return URI.create(
        base.getScheme() + "://" + base.getRawAuthority() + path + "/" + resource(model) + method);
  }

  /** The key in {@code x-goog-api-key} (never in the URL), then the deployment's own headers. */
  static Map<String, String> headers(Deployment deployment) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (deployment.apiKey() != null) {
      headers.put(API_KEY_HEADER, deployment.apiKey().reveal());
    }
    headers.putAll(deployment.extraHeaders());
    return headers;
  }
}
