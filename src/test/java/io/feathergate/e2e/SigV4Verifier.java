package io.feathergate.e2e;

import io.feathergate.e2e.FakeUpstream.Received;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a request's AWS Signature Version 4 the way AWS does: recomputes it from what arrived
 * (method, path, query, the headers it names, the body) with the secret key, written apart from the
 * gateway's signer so that one cannot hide the other's mistake.
 */
final class SigV4Verifier {
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,"
              + " SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

  private SigV4Verifier() {}

  /** Why the signature is wrong, or null when it is right for these credentials. */
  static String problem(
      Received request, String accessKeyId, String secretKey, String region, String service)
      throws Exception {
    String authorization = request.headers().get("authorization");
    if (authorization == null) {
      return "no Authorization header";
    }
    Matcher m = AUTHORIZATION.matcher(authorization);
    if (!m.matches()) {
      return "malformed Authorization header";
    }
    if (!m.group(1).equals(accessKeyId)) {
      return "unknown access key";
    }
    if (!m.group(3).equals(region) || !m.group(4).equals(service)) {
      return "wrong scope";
    }
    String date = request.headers().getOrDefault("x-amz-date", "");
    if (!date.startsWith(m.group(2))) {
      return "x-amz-date does not match the scope";
    }
    TreeMap<String, String> signed = new TreeMap<>();
    for (String name : m.group(5).split(";")) {
      String value = request.headers().get(name);
      if (value == null) {
        return "signed header " + name + " is missing";
      }
      signed.put(name, value.strip());
    }
    if (!signed.containsKey("host") || !signed.containsKey("x-amz-date")) {
      return "host and x-amz-date must be signed";
    }
    byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
    String bodyHash = hex(sha256(body));
    String declared = request.headers().get("x-amz-content-sha256");
    if (declared != null && !declared.equals(bodyHash)) {
      return "x-amz-content-sha256 does not match the body";
    }
    String target = request.path();
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    StringBuilder canonicalPath = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      if (canonicalPath.length() > 0 || !segment.isEmpty()) {
        canonicalPath.append('/');
      }
      canonicalPath.append(uriEncode(segment));
    }
    StringBuilder canonical = new StringBuilder();
    canonical.append(request.method()).append('\n');
    canonical.append(canonicalPath.length() == 0 ? "/" : canonicalPath).append('\n');
    canonical.append(q < 0 ? "" : target.substring(q + 1)).append('\n');
    signed.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
    canonical.append('\n').append(m.group(5)).append('\n').append(bodyHash);
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + date
            + "\n"
            + m.group(2)
            + "/"
            + region
            + "/"
            + service
            + "/aws4_request\n"
            + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), m.group(2));
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String expected = hex(hmac(key, stringToSign));
    return expected.equals(m.group(6)) ? null : "signature mismatch";
  }

  private static String uriEncode(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.' || c == '~') {
        out.append((char) c);
      } else {
        out.append(String.format(Locale.ROOT, "%%%02X", c));
      }
    }
    return out.toString();
  }

  private static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
