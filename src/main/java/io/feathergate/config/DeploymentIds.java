package io.feathergate.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.feathergate.wire.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Gives every deployment of one load a distinct id: {@code model_info.id} when set, otherwise a
 * hash of the entry, so an id survives restarts and the reordering of other entries (metrics and
 * {@code x-litellm-model-id} stay comparable).
 */
final class DeploymentIds {
  private static final int HASH_HEX_CHARS = 16;
  private static final ObjectWriter SORTED =
      Json.MAPPER.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** id to the YAML path of the entry that took it. */
  private final Map<String, String> taken = new HashMap<>();

  /**
   * The first 16 hex characters of SHA-256 over {@code model_name} and the <em>unresolved</em>
   * {@code litellm_params}: {@code os.environ/NAME} is hashed as written, so no secret from the
   * environment goes into the id, and a key written in the file only ever leaves as part of a hash.
   */
  static String hash(String modelName, Object unresolvedParams) {
    try {
      byte[] canonical = SORTED.writeValueAsBytes(List.of(modelName, unresolvedParams));
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
      return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_CHARS);
    } catch (JsonProcessingException e) {
      // YAML gives maps, lists and scalars only; all of them serialise
      throw new IllegalStateException("cannot serialise litellm_params", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /**
   * Takes an id for the entry at {@code path}.
   *
   * @param explicit whether the user wrote the id ({@code model_info.id}); an explicit id used
   *     twice is an error, while identical entries (the same hash) are numbered, as repeating an
   *     entry is a way to weigh it
   * @throws InvalidValueException when an explicit id is taken
   */
  String claim(String id, boolean explicit, String path) {
    String owner = taken.get(id);
    if (owner == null) {
      taken.put(id, path);
      return id;
    }
    if (explicit) {
      throw new InvalidValueException(
          YamlPath.child(YamlPath.child(path, "model_info"), "id"),
          "id '" + id + "' is already used by " + owner);
    }
    for (int n = 2; ; n++) {
      String numbered = id + "-" + n;
      if (!taken.containsKey(numbered)) {
        taken.put(numbered, path);
        return numbered;
      }
    }
  }
}
