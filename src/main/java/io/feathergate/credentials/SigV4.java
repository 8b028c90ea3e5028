package io.feathergate.credentials;

import io.feathergate.core.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 with the JDK alone (SHA-256 and HmacSHA256). The canonical URI encodes
 * each segment of the path <em>as sent</em> once more, as every service but S3 expects: a model id
 * sent as {@code claude-3%3A0} is signed as {@code claude-3%253A0}.
 */
public final class SigV4 {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private SigV4() {}

  /** What signing adds to a request. */
  public record Signed(Map<String, String> headers, String canonicalRequest, String signature) {}

  /**
   * The headers that sign a request with {@code host}, {@code x-amz-date}, {@code
   * x-amz-content-sha256} and, for temporary credentials, {@code x-amz-security-token}.
   */
  public static Map<String, String> headersFor(
      String method,
      URI uri,
      byte[] body,
      String accessKeyId,
      Secret secretAccessKey,
      Secret sessionToken,
      String region,
      String service,
      Instant now) {
    Map<String, String> signedHeaders = new LinkedHashMap<>();
    String amzDate = AMZ_DATE.format(now);
    signedHeaders.put("x-amz-date", amzDate);
    signedHeaders.put("x-amz-content-sha256", HEX.formatHex(sha256(body)));
    if (sessionToken != null) {
      signedHeaders.put("x-amz-security-token", sessionToken.reveal());
    }
    Signed signed =
        sign(method, uri, signedHeaders, body, accessKeyId, secretAccessKey, region, service, now);
    return signed.headers();
  }

  /**
   * Signs a request: {@code headers} (with {@code x-amz-date}) and {@code host} are signed; the
   * result holds them and {@code Authorization}, in the order to send them.
   */
  public static Signed sign(
      String method,
      URI uri,
      Map<String, String> headers,
      byte[] body,
      String accessKeyId,
      Secret secretAccessKey,
      String region,
      String service,
      Instant now) {
    String amzDate = AMZ_DATE.format(now);
    String day = amzDate.substring(0, 8);
    TreeMap<String, String> canonicalHeaders = new TreeMap<>();
    canonicalHeaders.put("host", host(uri));
    for (Map.Entry<String, String> header : headers.entrySet()) {
      canonicalHeaders.put(header.getKey().toLowerCase(Locale.ROOT), trim(header.getValue()));
    }
    StringBuilder canonical = new StringBuilder();
    canonical.append(method).append('\n');
    canonical.append(canonicalUri(uri.getRawPath())).append('\n');
    canonical.append(canonicalQuery(uri.getRawQuery())).append('\n');
    for (Map.Entry<String, String> header : canonicalHeaders.entrySet()) {
      canonical.append(header.getKey()).append(':').append(header.getValue()).append('\n');
    }
    canonical.append('\n');
    String signedHeaders = String.join(";", canonicalHeaders.keySet());
    canonical.append(signedHeaders).append('\n');
    canonical.append(HEX.formatHex(sha256(body)));
    String canonicalRequest = canonical.toString();
    String scope = day + "/" + region + "/" + service + "/aws4_request";
    String stringToSign =
        ALGORITHM
            + "\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secretAccessKey.reveal()).getBytes(StandardCharsets.UTF_8), day);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = HEX.formatHex(hmac(key, stringToSign));
    Map<String, String> out = new LinkedHashMap<>(headers);
    out.put(
        "Authorization",
        ALGORITHM
            + " Credential="
            + accessKeyId
            + "/"
            + scope
            + ", SignedHeaders="
            + signedHeaders
            + ", Signature="
            + signature);
    return new Signed(out, canonicalRequest, signature);
  }

  /** {@code host}, with the port when it is not the scheme's default. */
  static String host(URI uri) {
    int port = uri.getPort();
    boolean defaultPort =
        port == -1
            || (port == 443 && "https".equalsIgnoreCase(uri.getScheme()))
            || (port == 80 && "http".equalsIgnoreCase(uri.getScheme()));
    return uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }

  /** Each segment of the path as sent, encoded once more; {@code /} for an empty path. */
  static String canonicalUri(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    StringBuilder out = new StringBuilder();
    String[] segments = rawPath.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        out.append('/');
      }
      out.append(encode(segments[i]));
    }
    return out.toString();
  }

  /** Parameters sorted by name then value, each encoded; empty for no query. */
  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      pairs.add(new String[] {encode(decode(name)), encode(decode(value))});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder out = new StringBuilder();
    for (String[] pair : pairs) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(pair[0]).append('=').append(pair[1]);
    }
    return out.toString();
  }

  /** RFC 3986 encoding: everything but unreserved characters as {@code %XX}, upper case. */
  static String encode(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)));
        out.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static String decode(String text) {
    return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Leading and trailing space gone, inner runs of spaces one space. */
  private static String trim(String value) {
    return value.strip().replaceAll(" +", " ");
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }
}
