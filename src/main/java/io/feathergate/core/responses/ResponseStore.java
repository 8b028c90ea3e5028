package io.feathergate.core.responses;

/**
 * Where the gateway keeps responses. Writes are synchronous: the next request, whichever replica or
 * thread serves it, sees a response as soon as its client has it.
 */
public interface ResponseStore {

  /** Keeps a response, replacing any under the same id. */
  void put(StoredResponse response);

  /** The response with this id, or null when unknown or expired. */
  StoredResponse get(String id);

  /** Forgets a response; whether it was there. */
  boolean delete(String id);
}
