package io.feathergate.core.errors;

import io.feathergate.core.Deployment;
import io.feathergate.core.GatewayConfig;
import io.feathergate.core.Secret;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes credentials out of text that came from an upstream before it reaches a client or a log.
 * Upstreams echo what they were sent: OpenAI's 401 names the key it got ({@code Incorrect API key
 * provided: sk-...}), proxies echo request headers in their 400s. The gateway sent its configured
 * keys, so every configured secret is replaced wherever it appears, and so is anything shaped like
 * a credential: a bearer token, a provider key prefix ({@code sk-}, {@code AIza}, ...) even when
 * the upstream masked part of it, a {@code key=} query parameter, and any word that starts like a
 * configured secret (a truncated echo).
 */
public final class SecretRedactor {
  public static final String MASK = "[redacted]";

  /** Shorter secrets are too likely to occur in ordinary words to be matched by their prefix. */
  private static final int MIN_PREFIX_SECRET_LENGTH = 16;

  private static final int PREFIX_LENGTH = 8;

  /** Credential shapes, whoever's they are. Group 1, when present, is kept (the parameter name). */
  private static final String SHAPES =
      "(?i:bearer)\\s+[^\\s'\",;]+"
          // OpenAI, Anthropic (sk-ant-), project and service keys, also with '*' masking
          + "|\\b(?:sk|rk|pk)-[A-Za-z0-9_*\\-]{6,}(?:\\.[A-Za-z0-9_*\\-]+)*"
          // Google API keys
          + "|\\bAIza[0-9A-Za-z_\\-]{10,}"
          // AWS access key ids
          + "|\\b(?:AKIA|ASIA)[0-9A-Z]{12,}"
          // Groq, xAI
          + "|\\b(?:gsk_|xai-)[A-Za-z0-9]{10,}"
          // a key in a query string or a form: the name stays, the value goes
          + "|((?i:(?:^|[?&;\\s\"'])(?:key|api[_-]?key|access[_-]?token|token|x-api-key|api-key)[=:]\\s*))"
          + "[^&\\s'\",;]+";

  private static final SecretRedactor SHAPES_ONLY = new SecretRedactor(List.of());

  private final List<String> secrets;
  private final Pattern pattern;

  private SecretRedactor(List<String> secretValues) {
    List<String> sorted = new ArrayList<>(new LinkedHashSet<>(secretValues));
    // longest first, so that a secret containing another is replaced whole
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(sorted);
    StringBuilder prefixes = new StringBuilder();
    for (String secret : sorted) {
      if (secret.length() >= MIN_PREFIX_SECRET_LENGTH) {
        prefixes
            .append(Pattern.quote(secret.substring(0, PREFIX_LENGTH)))
            .append("(?:[^\\s'\",;]*[^\\s'\",;.])?|");
      }
    }
    this.pattern = Pattern.compile(prefixes + SHAPES);
  }

  /** A redactor for credential shapes only, for places that know no configured secret. */
  public static SecretRedactor shapesOnly() {
    return SHAPES_ONLY;
  }

  /**
   * A redactor for every secret of this configuration: the master key, each deployment's API key,
   * its provider secrets (client secrets, AWS secret keys and session tokens, static tokens, a
   * service account's private key, line by line too) and the values of its credential-like extra
   * headers.
   */
  public static SecretRedactor of(GatewayConfig config) {
    List<String> values = new ArrayList<>();
    add(values, config.settings().masterKey());
    for (Deployment deployment : config.deployments()) {
      add(values, deployment.apiKey());
      for (Secret secret : deployment.secrets().values()) {
        add(values, secret);
        addPemBody(values, secret);
      }
      for (Map.Entry<String, String> header : deployment.extraHeaders().entrySet()) {
        if (isCredentialHeader(header.getKey()) && header.getValue() != null) {
          values.add(header.getValue().strip());
          String[] words = header.getValue().strip().split("\\s+", 2);
          if (words.length == 2) {
            values.add(words[1]); // "Bearer xyz": the token alone too
          }
        }
      }
    }
    values.removeIf(value -> value.length() < 4);
    return new SecretRedactor(values);
  }

  /**
   * A PEM private key also by each line of its base64 body: an echo would rather show a piece of
   * it, with its line breaks escaped, than the whole.
   */
  private static void addPemBody(List<String> values, Secret secret) {
    String text = secret.reveal();
    if (!text.contains("-----BEGIN")) {
      return;
    }
    for (String line : text.replace("\\n", "\n").split("\n")) {
      String body = line.strip();
      if (body.length() >= MIN_PREFIX_SECRET_LENGTH && !body.startsWith("-----")) {
        values.add(body);
      }
    }
  }

  private static void add(List<String> values, Secret secret) {
    if (secret != null) {
      values.add(secret.reveal());
    }
  }

  private static final Set<String> CREDENTIAL_WORDS =
      Set.of("authorization", "key", "token", "secret", "password", "cookie", "signature");

  static boolean isCredentialHeader(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String word : CREDENTIAL_WORDS) {
      if (lower.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /** The text with every secret and credential shape replaced by {@link #MASK}. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = text;
    for (String secret : secrets) {
      if (result.contains(secret)) {
        result = result.replace(secret, MASK);
      }
    }
    Matcher matcher = pattern.matcher(result);
    if (!matcher.find()) {
      return result;
    }
    StringBuilder out = new StringBuilder(result.length());
    do {
      String keep = matcher.group(1);
      matcher.appendReplacement(out, Matcher.quoteReplacement((keep == null ? "" : keep) + MASK));
    } while (matcher.find());
    matcher.appendTail(out);
    return out.toString();
  }

  /** The error with its message redacted; the same instance when there was nothing to take out. */
  public GatewayException redact(GatewayException failure) {
    String message = failure.getMessage();
    String redacted = redact(message);
    return redacted == null || redacted.equals(message) ? failure : failure.withMessage(redacted);
  }

  /**
   * A successful answer with the deployment's own key taken out, should the upstream have put it
   * there (an echoing server, a compromised proxy): the one secret an upstream was sent. Errors get
   * the full treatment of {@link #redact(String)}; answers, which are large and many, only this
   * byte search, and the same array back when the key is not in it (always, in practice).
   */
  public static byte[] scrubKey(Deployment deployment, byte[] answer) {
    Secret key = deployment == null ? null : deployment.apiKey();
    if (key == null) {
      return answer;
    }
    byte[] secret = key.bytes();
    int at = indexOf(answer, secret, 0);
    if (at < 0) {
      return answer;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(answer.length);
    int from = 0;
    while (at >= 0) {
      out.write(answer, from, at - from);
      out.writeBytes(MASK_BYTES);
      from = at + secret.length;
      at = indexOf(answer, secret, from);
    }
    out.write(answer, from, answer.length - from);
    return out.toByteArray();
  }

  /** {@link #scrubKey(Deployment, byte[])} for a stream's chunk. */
  public static String scrubKey(Deployment deployment, String chunk) {
    Secret key = deployment == null ? null : deployment.apiKey();
    if (key == null || !chunk.contains(key.reveal())) {
      return chunk;
    }
    return chunk.replace(key.reveal(), MASK);
  }

  private static final byte[] MASK_BYTES = MASK.getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    if (needle.length == 0) {
      return -1;
    }
    byte first = needle[0];
    int last = haystack.length - needle.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (haystack[i] != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
