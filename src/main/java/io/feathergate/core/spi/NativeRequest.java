package io.feathergate.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A client's request in a provider's own API, kept as it was sent beside its translation into the
 * gateway's chat request: a deployment on that API takes it untranslated (only {@code model}
 * replaced), and its answer goes back to the client untouched.
 *
 * @param api the API the client spoke
 * @param operation what the client asked for
 * @param body the client's JSON, with every field it sent; read-only
 * @param untranslatable why the request cannot go to a provider of another API (a block or a tool
 *     only this API has), or null when it can
 * @param droppable whether what cannot be translated is only parameters, which a deployment with
 *     {@code drop_params} leaves out instead
 * @param upload the file of a multipart upload (its other fields are in {@code body}), or null
 */
public record NativeRequest(
    NativeApi api,
    Operation operation,
    ObjectNode body,
    String untranslatable,
    boolean droppable,
    UploadedFile upload) {

  /** A request that is not an upload. */
  public NativeRequest(
      NativeApi api,
      Operation operation,
      ObjectNode body,
      String untranslatable,
      boolean droppable) {
    this(api, operation, body, untranslatable, droppable, null);
  }

  /** A request whose untranslatable parts, if any, are never dropped. */
  public NativeRequest(NativeApi api, Operation operation, ObjectNode body, String untranslatable) {
    this(api, operation, body, untranslatable, false);
  }

  /** The same request with another body. */
  public NativeRequest withBody(ObjectNode otherBody) {
    return new NativeRequest(api, operation, otherBody, untranslatable, droppable, upload);
  }

  /** What a native request asks for. */
  public enum Operation {
    /** A model's answer. */
    CREATE,
    /** The prompt's token count, without an answer. */
    COUNT_TOKENS
  }
}
