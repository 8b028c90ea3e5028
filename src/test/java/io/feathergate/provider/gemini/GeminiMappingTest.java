package io.feathergate.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.core.spi.StreamContext;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Request, schema, endpoint and error mapping rules the golden cases do not pin one by one. */
class GeminiMappingTest {

  private static ChatRequest request(String json) {
    return ChatRequests.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode upstream(String clientJson, String model) {
    return GeminiRequestMapper.toUpstream(request(clientJson), model, false);
  }

  private static JsonNode json(String text) throws IOException {
    return GoldenCase.JSON.readTree(text);
  }

  private static void assertBadRequest(String clientJson, String messagePart) {
    assertThatThrownBy(() -> upstream(clientJson, "gemini-2.5-flash"))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).contains(messagePart);
            });
  }

  private static String withUser(String fields) {
    return "{\"model\":\"g\","
        + fields
        + (fields.isEmpty() ? "" : ",")
        + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
  }

  @ParameterizedTest
  @CsvSource({
    "'', gemini-2.5-flash, false, https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent",
    "https://generativelanguage.googleapis.com/v1beta, gemini-2.5-flash, true, https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
    "https://proxy.example/gemini/, models/gemini-pro, false, https://proxy.example/gemini/v1beta/models/gemini-pro:generateContent",
    "https://proxy.example/v1?key=leak, tunedModels/mine-1, false, https://proxy.example/v1/tunedModels/mine-1:generateContent",
    "http://127.0.0.1:8080/v1alpha//, gemini-3-pro-preview, true, http://127.0.0.1:8080/v1alpha/models/gemini-3-pro-preview:streamGenerateContent?alt=sse"
  })
  void theUrlHasOneVersionAndNeverTheKey(String base, String model, boolean stream, String url) {
    URI apiBase = base.isEmpty() ? ProviderTable.get("gemini").defaultApiBase() : URI.create(base);
    assertThat(GeminiEndpoints.generateContent(apiBase, model, stream)).hasToString(url);
  }

  @ParameterizedTest
  @CsvSource({
    "gemini-1.5-pro, false, false",
    "gemini-2.0-flash, false, false",
    "models/gemini-2.0-flash-lite, false, false",
    "gemini-2.5-flash, true, false",
    "gemini-3-pro-preview, true, true",
    "GEMINI-3.1-FLASH, true, true",
    "gemini-flash-latest, true, false",
    "learnlm-2.0-flash-experimental, true, false"
  })
  void modelGenerationsDecideSchemaFormAndSignatures(
      String model, boolean jsonSchema, boolean signatures) {
    assertThat(GeminiModels.takesJsonSchema(model)).isEqualTo(jsonSchema);
    assertThat(GeminiModels.requiresThoughtSignatures(model)).isEqualTo(signatures);
  }

  @Test
  void theSignatureRidesInTheToolCallIdAndComesBackOut() {
    String id = ThoughtSignatures.encode("call_abc", "CiQB+/=");
    assertThat(id).isEqualTo("call_abc__thought__CiQB+/=");
    assertThat(ThoughtSignatures.signatureOf(id)).isEqualTo("CiQB+/=");
    assertThat(ThoughtSignatures.encode("call_abc", null)).isEqualTo("call_abc");
    assertThat(ThoughtSignatures.encode("call_abc", "")).isEqualTo("call_abc");
    assertThat(ThoughtSignatures.signatureOf("call_abc")).isNull();
    assertThat(ThoughtSignatures.signatureOf("call_abc__thought__")).isNull();
    assertThat(ThoughtSignatures.signatureOf(null)).isNull();
  }

  @Test
  void openApiConversionHandlesTheRestOfJsonSchema() throws IOException {
    JsonNode converted =
        JsonSchemaToGemini.toOpenApi(
            json(
                """
                {"type":"object","definitions":{"Id":{"type":"string","format":"uuid"}},
                 "properties":{
                   "id":{"$ref":"#/definitions/Id"},
                   "missing":{"$ref":"#/definitions/Nope"},
                   "either":{"oneOf":[{"type":"string"},{"type":"integer"}]},
                   "both":{"allOf":[{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},
                                    {"properties":{"b":{"type":"number","format":"double"}},"required":["b"]}]},
                   "multi":{"type":["string","integer","null"]},
                   "onlyNull":{"type":"null"},
                   "any":true,
                   "count":{"type":"integer","format":"int64","minimum":0,"multipleOf":2},
                   "typeless":{"format":"email","description":"d"},
                   "tuple":{"type":"array","items":[{"type":"string"}],"uniqueItems":true}}}
                """));
    assertThat(converted.at("/properties/id")).isEqualTo(json("{\"type\":\"STRING\"}"));
    assertThat(converted.at("/properties/missing")).isEqualTo(json("{\"type\":\"OBJECT\"}"));
    assertThat(converted.at("/properties/either"))
        .isEqualTo(json("{\"anyOf\":[{\"type\":\"STRING\"},{\"type\":\"INTEGER\"}]}"));
    assertThat(converted.at("/properties/both"))
        .isEqualTo(
            json(
                "{\"type\":\"OBJECT\",\"properties\":{\"a\":{\"type\":\"STRING\"},\"b\":{\"type\":\"NUMBER\",\"format\":\"double\"}},\"required\":[\"a\",\"b\"]}"));
    assertThat(converted.at("/properties/multi"))
        .isEqualTo(
            json("{\"nullable\":true,\"anyOf\":[{\"type\":\"STRING\"},{\"type\":\"INTEGER\"}]}"));
    assertThat(converted.at("/properties/onlyNull")).isEqualTo(json("{\"nullable\":true}"));
    assertThat(converted.at("/properties/any")).isEqualTo(json("{}"));
    assertThat(converted.at("/properties/count"))
        .isEqualTo(json("{\"type\":\"INTEGER\",\"minimum\":0,\"format\":\"int64\"}"));
    assertThat(converted.at("/properties/tuple")).isEqualTo(json("{\"type\":\"ARRAY\"}"));
    assertThat(converted.at("/properties/typeless")).isEqualTo(json("{\"description\":\"d\"}"));
  }

  @Test
  void jsonSchemaFieldsKeepTheSchemaButNotItsDraftMarker() throws IOException {
    JsonNode schema =
        json(
            "{\"$schema\":\"x\",\"strict\":true,\"type\":\"object\",\"additionalProperties\":false}");
    assertThat(JsonSchemaToGemini.forJsonSchemaField(schema))
        .isEqualTo(json("{\"type\":\"object\",\"additionalProperties\":false}"));
    assertThat(schema.has("$schema")).as("the client's schema is left alone").isTrue();
  }

  @Test
  void stopListsAndNeutralValuesPassButOddShapesAre400s() throws IOException {
    JsonNode body =
        upstream(
            withUser(
                "\"stop\":[\"a\",\"b\"],\"response_format\":{\"type\":\"text\"},\"thinking\":{\"type\":\"disabled\"},\"modalities\":[\"text\"],\"parallel_tool_calls\":true,\"cached_content\":\"cachedContents/1\""),
            "gemini-2.5-flash");
    assertThat(body.get("generationConfig"))
        .isEqualTo(
            json("{\"stopSequences\":[\"a\",\"b\"],\"thinkingConfig\":{\"thinkingBudget\":0}}"));
    assertThat(body.get("cachedContent").asText()).isEqualTo("cachedContents/1");
    assertThat(
            upstream(withUser("\"reasoning_effort\":\"none\""), "gemini-3-flash")
                .at("/generationConfig/thinkingConfig"))
        .isEqualTo(json("{\"thinkingLevel\":\"minimal\",\"includeThoughts\":false}"));

    assertBadRequest(withUser("\"stop\":5"), "'stop'");
    assertBadRequest(withUser("\"response_format\":{\"type\":\"yaml\"}"), "response_format.type");
    assertBadRequest(
        withUser("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\"}}"),
        "json_schema.schema");
    assertBadRequest(
        withUser("\"tools\":[{\"type\":\"function\",\"function\":{}}]"), "function.name");
    assertBadRequest(
        withUser(
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":\"sometimes\""),
        "tool_choice 'sometimes'");
    assertBadRequest(
        withUser(
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":{\"type\":\"allowed_tools\"}"),
        "tool_choice must be");
  }

  @Test
  void malformedContentPartsAre400sNamingWhere() {
    String prefix = "{\"model\":\"g\",\"messages\":[{\"role\":\"user\",\"content\":";
    assertBadRequest(prefix + "42}]}", "messages[0].content must be a string or a list");
    assertBadRequest(prefix + "[{\"text\":\"no type\"}]}]}", "has no 'type'");
    assertBadRequest(prefix + "[{\"type\":\"text\"}]}]}", ".text must be a string");
    assertBadRequest(prefix + "[{\"type\":\"video_url\"}]}]}", "'video_url'");
    assertBadRequest(prefix + "[{\"type\":\"image_url\",\"image_url\":{}}]}]}", ".url must be");
    assertBadRequest(
        prefix + "[{\"type\":\"image_url\",\"image_url\":\"data:;base64,AAAA\"}]}]}",
        "without a MIME type");
    assertBadRequest(
        prefix + "[{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAAA\"}}]}]}",
        "'data' and 'format'");
    assertBadRequest(
        prefix + "[{\"type\":\"file\",\"file\":{\"file_data\":\"JVBERi0=\"}}]}]}",
        "filename or format");
    assertBadRequest(
        "{\"model\":\"g\",\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"image_url\"}]},{\"role\":\"user\",\"content\":\"x\"}]}",
        "only text parts");
    assertBadRequest(
        "{\"model\":\"g\",\"messages\":[{\"role\":\"system\",\"content\":7},{\"role\":\"user\",\"content\":\"x\"}]}",
        "list of text parts");
    assertBadRequest(
        "{\"model\":\"g\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"function\":{}}]}]}",
        "function.name");
  }

  @Test
  void aBareBase64FileTakesItsTypeFromItsName() {
    JsonNode body =
        upstream(
            "{\"model\":\"g\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":{\"file_data\":\"JVBERi0=\",\"filename\":\"report.PDF\"}},{\"type\":\"file\",\"file\":{\"file_id\":\"gs://b/o\",\"format\":\"video/mp4\"}}]}]}",
            "gemini-2.5-flash");
    assertThat(body.at("/contents/0/parts/0/inlineData/mimeType").asText())
        .isEqualTo("application/pdf");
    assertThat(body.at("/contents/0/parts/1/fileData/mimeType").asText()).isEqualTo("video/mp4");
    assertThat(GeminiParts.mimeFromPath("https://h/a.b/file", "x")).isEqualTo("x");
    assertThat(GeminiParts.mimeFromPath("https://h/clip.unknown", "x")).isEqualTo("x");
  }

  @Test
  void theClientsBodyIsNotChangedSoARetryBuildsTheSameRequest() {
    ChatRequest clientRequest =
        request(withUser("\"logprobs\":false,\"top_logprobs\":null,\"user\":\"u\""));
    ObjectNode before = clientRequest.body().deepCopy();
    byte[] first =
        new GeminiAdapter()
            .toUpstream(
                clientRequest, GoldenCase.load(GoldenCase.ROOT.resolve("mock_unary_basic")).route())
            .body();
    byte[] second =
        new GeminiAdapter()
            .toUpstream(
                clientRequest, GoldenCase.load(GoldenCase.ROOT.resolve("mock_unary_basic")).route())
            .body();
    assertThat(clientRequest.body()).isEqualTo(before);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void errorsWithoutAKnownStatusNameKeepTheirCode() {
    GatewayException byCode =
        GeminiErrors.fromUpstream(
            418,
            "{\"error\":{\"code\":418,\"message\":\"teapot\"}}".getBytes(StandardCharsets.UTF_8));
    assertThat(byCode.status()).isEqualTo(418);
    assertThat(byCode.code()).isEqualTo("418");
    GatewayException inStream =
        GeminiErrors.fromErrorObject(200, GoldenCase.JSON.createObjectNode().put("status", "NEW"));
    assertThat(inStream.status()).isEqualTo(500);
    assertThat(inStream.getMessage()).isEqualTo("Gemini returned HTTP 500");
    GatewayException empty = GeminiErrors.fromUpstream(500, new byte[0]);
    assertThat(empty.getMessage()).isEqualTo("Gemini returned HTTP 500");
    GatewayException longBody =
        GeminiErrors.fromUpstream(502, "x".repeat(1000).getBytes(StandardCharsets.UTF_8));
    assertThat(longBody.getMessage()).hasSizeLessThan(400).endsWith("...");
  }

  @Test
  void aNonJsonSuccessIsAProtocolError() {
    StreamContext context =
        GoldenCase.load(GoldenCase.ROOT.resolve("mock_unary_basic")).context(request(withUser("")));
    assertThatThrownBy(
            () ->
                new GeminiAdapter()
                    .fromUpstream("<html/>".getBytes(StandardCharsets.UTF_8), context))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(502));
    assertThatThrownBy(
            () ->
                new GeminiAdapter()
                    .fromUpstream("\"text\"".getBytes(StandardCharsets.UTF_8), context))
        .isInstanceOf(GatewayException.class);
  }

  @Test
  void anArrayWithAnErrorIsThatError() throws IOException {
    StreamContext context =
        GoldenCase.load(GoldenCase.ROOT.resolve("mock_unary_basic")).context(request(withUser("")));
    assertThatThrownBy(
            () ->
                GeminiResponseMapper.toCompletion(
                    json(
                        "[{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]},{\"error\":{\"code\":503,\"status\":\"UNAVAILABLE\",\"message\":\"busy\"}}]"),
                    context))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(503));
  }

  @Test
  void candidatesThatAreNotAListAreNoCandidates() throws IOException {
    // found by fuzzing: a mapping there made each candidate read as null (a NullPointerException)
    StreamContext context =
        GoldenCase.load(GoldenCase.ROOT.resolve("mock_unary_basic")).context(request(withUser("")));
    String notAList = "{\"candidates\":{\"safetyRatings\":[]}}";
    JsonNode answer = GeminiResponseMapper.toCompletion(json(notAList), context);
    assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    JsonNode pieces = GeminiResponseMapper.toCompletion(json("[" + notAList + "]"), context);
    assertThat(pieces.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }
}
