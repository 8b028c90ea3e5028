package io.feathergate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * The request checks of the Gemini API that a translating gateway can get wrong (roles, the key
 * header, object function responses, thought signatures), with the errors the real API answers. A
 * fake upstream that applies them fails the way Gemini would when a translation is wrong.
 */
final class FakeGeminiRules {
  private static final Set<String> TOP_LEVEL_FIELDS =
      Set.of(
          "contents",
          "systemInstruction",
          "tools",
          "toolConfig",
          "generationConfig",
          "safetySettings");

  private final String apiKey;
  private final Set<String> issuedSignatures;

  /**
   * @param issuedSignatures the thought signatures the fake handed out: only these (or Google's
   *     documented skip value) may come back on a Gemini 3 function call
   */
  FakeGeminiRules(String apiKey, Set<String> issuedSignatures) {
    this.apiKey = apiKey;
    this.issuedSignatures = issuedSignatures;
  }

  /** Answers with Gemini's error and returns true when the request breaks a rule. */
  boolean reject(FakeUpstream.Received request, FakeUpstream.Reply reply) throws IOException {
    String problem = check(request);
    if (problem == null) {
      return false;
    }
    String[] statusAndBody = problem.split(" ", 2);
    reply.json(Integer.parseInt(statusAndBody[0]), statusAndBody[1]);
    return true;
  }

  /** The real API's answer to a malformed request, as "status body", or null when it is fine. */
  String check(FakeUpstream.Received request) throws IOException {
    if (request.path().contains("key=")) {
      return error(400, "INVALID_ARGUMENT", "API key must be sent in the x-goog-api-key header");
    }
    if (!request
        .path()
        .matches("/v1beta/models/[\\w.-]+:(generateContent|streamGenerateContent\\?alt=sse)")) {
      return error(404, "NOT_FOUND", "unknown method " + request.path());
    }
    String key = request.headers().get("x-goog-api-key");
    if (key == null) {
      return error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers");
    }
    if (!key.equals(apiKey)) {
      return "400 " + GeminiFake.BAD_KEY;
    }
    JsonNode body = ClientSide.JSON.readTree(request.body());
    for (Iterator<String> fields = body.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!TOP_LEVEL_FIELDS.contains(field)) {
        return error(
            400,
            "INVALID_ARGUMENT",
            "Invalid JSON payload received. Unknown name \\\"" + field + "\\\"");
      }
    }
    boolean gemini3 = request.path().contains("gemini-3");
    JsonNode contents = body.path("contents");
    for (int i = 0; i < contents.size(); i++) {
      String problem = turnProblem(contents.get(i), i, gemini3);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private String turnProblem(JsonNode turn, int i, boolean gemini3) {
    String role = turn.path("role").asText();
    if (!role.equals("user") && !role.equals("model")) {
      return error(400, "INVALID_ARGUMENT", "Please use a valid role: user, model.");
    }
    boolean firstCall = true;
    for (int j = 0; j < turn.path("parts").size(); j++) {
      JsonNode part = turn.get("parts").get(j);
      if (part.has("functionResponse") && !part.at("/functionResponse/response").isObject()) {
        return error(
            400,
            "INVALID_ARGUMENT",
            "Invalid value at 'contents["
                + i
                + "].parts["
                + j
                + "].function_response.response' (type.googleapis.com/google.protobuf.Struct)");
      }
      if (part.has("functionCall") && gemini3 && firstCall) {
        String signature = part.path("thoughtSignature").asText(null);
        if (signature == null
            || !(issuedSignatures.contains(signature)
                || signature.equals("skip_thought_signature_validator"))) {
          return error(
              400,
              "INVALID_ARGUMENT",
              "Function call is missing a thought_signature in functionCall parts.");
        }
        firstCall = false;
      }
    }
    return null;
  }

  static String error(int status, String name, String message) {
    return status + " " + GeminiFake.errorBody(status, name, message);
  }
}
