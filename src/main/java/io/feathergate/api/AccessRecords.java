package io.feathergate.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.feathergate.core.Deployment;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.events.RequestRecord;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A finished request as one JSON object: the access log line and the live feed's event. Holds ids,
 * names from the config, numbers and the client address; never message content, never a key.
 */
final class AccessRecords {
  private static final double NANOS_PER_MILLI = 1e6;

  private AccessRecords() {}

  static String toJson(RequestRecord record) {
    StringWriter out = new StringWriter(384);
    try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("time", Instant.ofEpochMilli(record.startEpochMillis()).toString());
      json.writeStringField("request_id", record.requestId());
      json.writeStringField("route", record.route());
      Deployment deployment = record.deployment();
      json.writeStringField("model_group", deployment == null ? null : deployment.modelGroup());
      json.writeStringField("deployment_id", deployment == null ? null : deployment.id());
      json.writeStringField("provider", deployment == null ? null : deployment.provider());
      json.writeNumberField("status", record.status());
      if (record.errorType() != null) {
        json.writeStringField("error_type", record.errorType());
      }
      json.writeBooleanField("stream", record.stream());
      millis(json, "latency_ms", record.latencyNanos());
      millis(json, "time_to_first_token_ms", record.timeToFirstTokenNanos());
      millis(json, "upstream_latency_ms", record.upstreamNanos());
      TokenUsage usage = record.usage();
      if (usage != null) {
        json.writeNumberField("prompt_tokens", usage.promptTokens());
        json.writeNumberField("completion_tokens", usage.completionTokens());
        json.writeNumberField("total_tokens", usage.totalTokens());
      }
      json.writeNumberField("retries", record.retries());
      json.writeNumberField("fallbacks", record.fallbacks());
      json.writeStringField("client", record.clientAddress());
      // the caller by its key's hash (LiteLLM's hashed_api_key), never the key
      Principal principal = record.principal();
      optional(json, "key_hash", principal.keyHash());
      optional(json, "key_alias", principal.keyAlias());
      optional(json, "user", principal.userId());
      optional(json, "team", principal.teamId());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
    }
    return out.toString();
  }

  /** Milliseconds with microsecond precision; absent when not measured. */
  private static void millis(JsonGenerator json, String name, long nanos) throws IOException {
    if (nanos >= 0) {
      json.writeNumberField(name, Math.round(nanos / NANOS_PER_MILLI * 1000) / 1000.0);
    }
  }

  private static void optional(JsonGenerator json, String field, String value) throws IOException {
    if (value != null) {
      json.writeStringField(field, value);
    }
  }
}
