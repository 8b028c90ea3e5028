package io.feathergate.core.exchange;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Request body fields that would let a client choose where and with which credentials the gateway
 * calls an upstream, or plant credentials and headers in what the upstream logs. LiteLLM refuses
 * them with a 400 unless {@code general_settings.allow_client_side_credentials} is on; so does the
 * gateway. When they are allowed they are still not forwarded: the gateway calls upstreams with the
 * configured deployment's endpoint and credentials only.
 */
public final class ClientCredentials {
  /** The refused fields, as documented in the README. */
  public static final List<String> FIELDS =
      List.of(
          "api_key",
          "api_base",
          "base_url",
          "api_version",
          "organization",
          "user_config",
          "extra_headers",
          "custom_llm_provider",
          "azure_ad_token",
          "aws_access_key_id",
          "aws_secret_access_key",
          "aws_session_token",
          "aws_region_name",
          "vertex_credentials",
          "vertex_project",
          "vertex_location");

  private static final Set<String> REFUSED = Set.copyOf(FIELDS);

  private ClientCredentials() {}

  /**
   * Refuses a body carrying any of {@link #FIELDS}, or, when {@code allowed}, takes them out of it.
   *
   * @throws GatewayException 400 naming the first such field, unless allowed
   */
  static void check(ObjectNode clientBody, boolean allowed) {
    // a body has a handful of fields: look each up in the set, not each refused field in the body
    List<String> found = null;
    for (Iterator<String> names = clientBody.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (REFUSED.contains(name)) {
        if (!allowed) {
          throw GatewayException.badRequest(
              "Rejected Request: "
                  + name
                  + " is not allowed in request body. Enable with"
                  + " `general_settings::allow_client_side_credentials` on proxy config.yaml.",
              name);
        }
        found = found == null ? new ArrayList<>() : found;
        found.add(name);
      }
    }
    if (found != null) {
      clientBody.remove(found);
    }
  }
}
