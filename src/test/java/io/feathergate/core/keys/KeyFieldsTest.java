package io.feathergate.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyFieldsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static KeyFields fields(String json) throws Exception {
    return new KeyFields((ObjectNode) JSON.readTree(json), KeyFields.KEY_FIELDS);
  }

  /** Each wrong value is a 400 whose param names the field. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"key_alias\": 7}|key_alias|text",
        "{\"key_alias\": \"a\\u0000b\"}|key_alias|text",
        "{\"max_budget\": -1}|max_budget|amount",
        "{\"max_budget\": \"10\"}|max_budget|amount",
        "{\"rpm_limit\": 1.5}|rpm_limit|count",
        "{\"rpm_limit\": -2}|rpm_limit|count",
        "{\"blocked\": \"yes\"}|blocked|flag",
        "{\"models\": \"gpt-4o\"}|models|models",
        "{\"models\": [\"\"]}|models|models",
        "{\"aliases\": [\"a\"]}|aliases|aliases",
        "{\"aliases\": {\"a\": 1}}|aliases|aliases",
        "{\"metadata\": \"x\"}|metadata|metadata",
        "{\"budget_duration\": \"1y\"}|budget_duration|window",
        "{\"duration\": \"forever\"}|duration|duration",
        "{\"expires\": \"tomorrow\"}|expires|expires"
      })
  void aWrongValueIsRefusedNamingItsField(String json, String field, String reader)
      throws Exception {
    KeyFields fields = fields(json);
    assertThatThrownBy(
            () -> {
              switch (reader) {
                case "text" -> fields.text(field);
                case "amount" -> fields.amount(field);
                case "count" -> fields.count(field);
                case "flag" -> fields.flag(field);
                case "models" -> fields.models();
                case "aliases" -> fields.aliases();
                case "metadata" -> fields.metadata();
                case "window" -> fields.budgetDuration();
                case "duration" -> fields.expiresAfter(Instant.EPOCH);
                default -> fields.expires();
              }
            })
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.param()).isEqualTo(field);
            });
  }

  @Test
  void aLongTextAndHugeMetadataAreRefused() throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.put("key_alias", "a".repeat(256));
    body.putObject("metadata").put("blob", "b".repeat(70_000));
    KeyFields fields = new KeyFields(body, KeyFields.KEY_FIELDS);
    assertThatThrownBy(() -> fields.text("key_alias")).hasMessageContaining("255");
    assertThatThrownBy(fields::metadata).hasMessageContaining("64 KiB");
  }

  @Test
  void unknownFieldsAreRefusedAndUnsupportedOnesOnlyWhenSet() throws Exception {
    assertThatThrownBy(() -> fields("{\"colour\": \"red\"}"))
        .hasMessageContaining("colour is not a field");
    assertThatThrownBy(() -> fields("{\"tags\": [\"a\"]}"))
        .hasMessageContaining("tags is not supported by FeatherGate yet");
    // LiteLLM's SDKs send some of them empty: that asks for nothing
    fields("{\"tags\": [], \"guardrails\": null, \"permissions\": {}, \"auto_rotate\": false}");
  }

  @Test
  void goodValuesAreRead() throws Exception {
    KeyFields fields =
        fields(
            "{\"key_alias\": \"a\", \"max_budget\": 2.5, \"rpm_limit\": 10, \"blocked\": true,"
                + " \"models\": [\"m\"], \"aliases\": {\"x\": \"m\"}, \"metadata\": {\"k\": 1},"
                + " \"budget_duration\": \"1mo\", \"duration\": \"2h\","
                + " \"expires\": \"2030-01-01T00:00:00Z\"}");
    assertThat(fields.text("key_alias")).isEqualTo("a");
    assertThat(fields.amount("max_budget")).isEqualTo(2.5);
    assertThat(fields.count("rpm_limit")).isEqualTo(10);
    assertThat(fields.flag("blocked")).isTrue();
    assertThat(fields.models()).containsExactly("m");
    assertThat(fields.aliases()).containsEntry("x", "m");
    assertThat(fields.metadata()).isEqualTo("{\"k\":1}");
    assertThat(fields.budgetDuration()).isEqualTo("1mo");
    assertThat(fields.expiresAfter(Instant.EPOCH)).isEqualTo(Instant.parse("1970-01-01T02:00:00Z"));
    assertThat(fields.expires()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    KeyFields empty = fields("{}");
    assertThat(empty.text("key_alias")).isNull();
    assertThat(empty.amount("max_budget")).isNull();
    assertThat(empty.count("rpm_limit")).isNull();
    assertThat(empty.flag("blocked")).isFalse();
    assertThat(empty.models()).isEmpty();
    assertThat(empty.aliases()).isEmpty();
    assertThat(empty.metadata()).isEqualTo("{}");
    assertThat(empty.budgetDuration()).isNull();
    assertThat(empty.expiresAfter(Instant.EPOCH)).isNull();
    assertThat(empty.expires()).isNull();
  }
}
