package io.feathergate.core.responses;

/**
 * One response of the Responses API as the gateway keeps it, each part as the JSON the client saw.
 *
 * @param id the response's id ({@code resp_...})
 * @param owner the hash of the key that made it, or null without keys: only that key reads it back
 * @param response the response object
 * @param inputItems this request's input items, each with an id, oldest first (a JSON array)
 * @param conversation every item of the conversation up to and including this response's output,
 *     oldest first (a JSON array): the history a {@code previous_response_id} continues
 */
public record StoredResponse(
    String id, String owner, byte[] response, byte[] inputItems, byte[] conversation) {

  /** What the entry costs the store: its bytes. */
  long size() {
    return (long) response.length + inputItems.length + conversation.length + id.length();
  }

  /** Whether the caller with this key hash may read it. */
  public boolean readableBy(String keyHash) {
    return owner == null || owner.equals(keyHash);
  }
}
