package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Every management route answers a wrong request with a clear 4xx in OpenAI's shape, naming the
 * field, and never a stack trace; the key database's state is on /metrics.
 */
class ManagementErrorsE2ETest extends KeysRig {

  private void expect(HttpResponse<String> answer, int status, String param) throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    JsonNode error = json(answer).get("error");
    assertThat(error.get("message").asText()).isNotBlank().doesNotContain("Exception");
    if (param != null) {
      assertThat(error.get("param").asText()).isEqualTo(param);
    }
  }

  @Test
  void keyRoutes() throws Exception {
    expect(post("/key/update", MASTER, "{}"), 400, "key");
    expect(post("/key/update", MASTER, "{\"key\":\"sk-nobody-000000000000\"}"), 404, null);
    expect(post("/key/block", MASTER, "{}"), 400, "key");
    expect(post("/key/delete", MASTER, "{}"), 400, "keys");
    expect(post("/key/delete", MASTER, "{\"keys\":\"sk-x\"}"), 400, "keys");
    expect(post("/key/delete", MASTER, "{\"key_aliases\":[7]}"), 400, "key_aliases");
    expect(post("/key/delete", MASTER, "{\"key_aliases\":[\"nobody\"]}"), 404, null);
    expect(post("/key/generate", MASTER, "{\"key\":\"not-a-key\"}"), 400, "key");
    expect(post("/key/generate", MASTER, "[1,2]"), 400, null);
    expect(post("/key/generate", MASTER, ""), 400, null);
    expect(get("/key/info", MASTER), 400, "key");
    expect(get("/key/list?page=0", MASTER), 400, "page");
    expect(get("/key/list?size=1000", MASTER), 400, "size");
    expect(get("/key/list?size=ten", MASTER), 400, "size");
    expect(post("/key/sk-nobody-000000000000/regenerate", MASTER, ""), 404, null);
    expect(get("/spend/logs?start_date=yesterday", MASTER), 400, "start_date");
    expect(get("/global/spend/report?end_date=2026-13-45", MASTER), 400, "end_date");

    // aliases are unique; deleting by alias works
    generate("{\"key_alias\":\"twin\"}");
    expect(post("/key/generate", MASTER, "{\"key_alias\":\"twin\"}"), 400, "key_alias");
    String other = generate("{\"key_alias\":\"other\"}").get("key").asText();
    expect(
        post("/key/update", MASTER, "{\"key\":\"" + other + "\",\"key_alias\":\"twin\"}"),
        400,
        "key_alias");
    assertThat(
            json(post("/key/delete", MASTER, "{\"key_aliases\":[\"twin\"]}")).get("deleted_keys"))
        .hasSize(1);
    // a chosen key, listed in full, updated in every field
    String chosen = "sk-chosen-by-its-owner-0001";
    assertThat(
            json(post("/key/generate", MASTER, "{\"key\":\"" + chosen + "\"}")).get("key").asText())
        .isEqualTo(chosen);
    expect(post("/key/generate", MASTER, "{\"key\":\"" + chosen + "\"}"), 400, "key");
    HttpResponse<String> updated =
        post(
            "/key/update",
            MASTER,
            "{\"key\":\""
                + chosen
                + "\",\"user_id\":\"u\",\"models\":[\"cheap\"],"
                + "\"soft_budget\":1,\"budget_duration\":\"1d\",\"duration\":\"1h\","
                + "\"tpm_limit\":100,\"max_parallel_requests\":2,\"metadata\":{\"a\":1},"
                + "\"aliases\":{\"x\":\"cheap\"},\"blocked\":false}");
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    assertThat(json(updated).get("budget_reset_at").asText()).endsWith("T00:00:00Z");
    JsonNode full = json(get("/key/list?return_full_object=true&user_id=u", MASTER));
    assertThat(full.get("keys").get(0).get("max_parallel_requests").asLong()).isEqualTo(2);
    HttpResponse<String> limited = chat(chosen, "cheap");
    assertThat(limited.headers().firstValue("x-ratelimit-api_key-limit-max_parallel_requests"))
        .hasValue("2");
    assertThat(limited.headers().firstValue("x-ratelimit-api_key-remaining-tokens")).isPresent();
  }

  @Test
  void teamAndUserRoutes() throws Exception {
    expect(post("/team/new", MASTER, "{\"team_id\":\" \"}"), 400, "team_id");
    expect(
        post("/team/new", MASTER, "{\"members_with_roles\":\"ann\"}"), 400, "members_with_roles");
    expect(post("/team/new", MASTER, "{\"colour\":1}"), 400, "colour");
    post("/team/new", MASTER, "{\"team_id\":\"t1\"}");
    expect(post("/team/new", MASTER, "{\"team_id\":\"t1\"}"), 400, "team_id");
    expect(get("/team/info", MASTER), 400, "team_id");
    expect(post("/team/update", MASTER, "{\"team_id\":\"nope\"}"), 404, null);
    expect(post("/team/member_add", MASTER, "{\"team_id\":\"t1\"}"), 400, "member");
    expect(post("/team/member_add", MASTER, "{\"team_id\":\"t1\",\"member\":[{}]}"), 400, "member");
    expect(post("/team/member_delete", MASTER, "{\"team_id\":\"t1\"}"), 400, "user_id");
    expect(
        post("/team/member_delete", MASTER, "{\"team_id\":\"t1\",\"user_id\":\"ghost\"}"),
        400,
        "user_id");
    expect(post("/team/delete", MASTER, "{}"), 400, "team_ids");
    expect(post("/team/delete", MASTER, "{\"team_ids\":[]}"), 400, "team_ids");
    expect(post("/team/delete", MASTER, "{\"team_ids\":[1]}"), 400, "team_ids");
    expect(post("/team/delete", MASTER, "{\"team_ids\":[\"nope\"]}"), 404, null);
    JsonNode updated =
        json(
            post(
                "/team/update",
                MASTER,
                "{\"team_id\":\"t1\",\"team_alias\":\"one\","
                    + "\"budget_duration\":\"30s\",\"tpm_limit\":5,\"metadata\":{\"cost_center\":7}}"));
    assertThat(updated.get("team_alias").asText()).isEqualTo("one");
    assertThat(updated.get("budget_reset_at").isNull()).isFalse();

    expect(post("/user/new", MASTER, "{\"user_id\":\"\"}"), 400, "user_id");
    expect(post("/user/new", MASTER, "{\"teams\":[\"nope\"]}"), 404, null);
    expect(post("/user/new", MASTER, "{\"teams\":\"t1\"}"), 400, "teams");
    expect(get("/user/info", MASTER), 400, "user_id");
    expect(get("/user/info?user_id=ghost", MASTER), 404, null);
    expect(post("/user/update", MASTER, "{\"user_id\":\"ghost\"}"), 404, null);
    expect(post("/user/delete", MASTER, "{\"user_ids\":[\"ghost\"]}"), 404, null);
    expect(get("/user/list?page=0", MASTER), 400, "page");
    expect(get("/user/list?page_size=0", MASTER), 400, "page_size");
    JsonNode user =
        json(
            post(
                "/user/new",
                MASTER,
                "{\"user_id\":\"eve\",\"teams\":[\"t1\"],"
                    + "\"auto_create_key\":false,\"budget_duration\":\"1d\"}"));
    assertThat(user.has("key")).isFalse();
    JsonNode info = json(get("/user/info?user_id=eve", MASTER));
    assertThat(info.get("teams").get(0).get("team_id").asText()).isEqualTo("t1");
    assertThat(
            json(post(
                    "/user/update",
                    MASTER,
                    "{\"user_id\":\"eve\",\"budget_duration\":\"2h\","
                        + "\"user_role\":\"internal_user\"}"))
                .get("user_role")
                .asText())
        .isEqualTo("internal_user");
  }

  @Test
  void theKeyDatabaseIsOnMetricsAndHealth() throws Exception {
    generate("{}");
    String metrics = get("/metrics", MASTER).body();
    assertThat(metrics)
        .contains("feathergate_key_database_up 1.0")
        .contains("feathergate_spend_log_rows_pending")
        .contains("feathergate_spend_log_rows_dropped_total 0.0");
    JsonNode health = json(get("/health", MASTER));
    assertThat(health.at("/key_database/status").asText()).isEqualTo("healthy");
    assertThat(json(get("/health/readiness", MASTER)).get("db").asText()).isEqualTo("connected");
  }
}
