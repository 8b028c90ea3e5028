package io.feathergate.provider.gemini;

/**
 * Carries Gemini's {@code thoughtSignature} through an OpenAI client inside the tool-call id:
 * {@code call_<id>__thought__<signature>}. The id is the one field every OpenAI client sends back
 * untouched (in the assistant message's {@code tool_calls} and in the tool message's {@code
 * tool_call_id}); extra fields such as {@code provider_specific_fields} are dropped by typed
 * clients like openai-java. The separator is LiteLLM's, so a conversation begun through LiteLLM
 * continues here, and the other way round.
 */
final class ThoughtSignatures {
  static final String SEPARATOR = "__thought__";

  /**
   * Google's documented stand-in for a signature that was never seen (a history from another
   * model): Gemini 3 then skips its check instead of answering 400.
   */
  static final String SKIP_VALIDATOR = "skip_thought_signature_validator";

  private ThoughtSignatures() {}

  /** The tool-call id to give the client: the id alone when there is no signature. */
  static String encode(String callId, String signature) {
    return signature == null || signature.isEmpty() ? callId : callId + SEPARATOR + signature;
  }

  /** The signature carried in a tool-call id, or null. */
  static String signatureOf(String toolCallId) {
    if (toolCallId == null) {
      return null;
    }
    int at = toolCallId.indexOf(SEPARATOR);
    if (at < 0) {
      return null;
    }
    String signature = toolCallId.substring(at + SEPARATOR.length());
    return signature.isEmpty() ? null : signature;
  }
}
