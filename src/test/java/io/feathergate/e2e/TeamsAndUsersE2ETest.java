package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Teams and users: their models, budgets and limits hold for every key that names them, on top of
 * the key's own; members come and go; spend is reported per team, key, model and user.
 */
class TeamsAndUsersE2ETest extends KeysRig {

  @Test
  void aTeamsModelsBudgetAndBlockApplyToEveryKeyOfTheTeam() throws Exception {
    JsonNode team =
        json(
            post(
                "/team/new",
                MASTER,
                "{\"team_alias\":\"search\",\"models\":[\"cheap\"]," + "\"max_budget\":0.0001}"));
    String teamId = team.get("team_id").asText();
    assertThat(team.get("team_alias").asText()).isEqualTo("search");
    String first = generate("{\"team_id\":\"" + teamId + "\"}").get("key").asText();
    String second = generate("{\"team_id\":\"" + teamId + "\"}").get("key").asText();

    HttpResponse<String> denied = chat(first, "other");
    assertThat(denied.statusCode()).isEqualTo(401);
    assertThat(json(denied).at("/error/type").asText()).isEqualTo("team_model_access_denied");

    assertThat(chat(first, "cheap").statusCode()).isEqualTo(200);
    // the first key spent the team's budget: the second key is over it too
    HttpResponse<String> over = chat(second, "cheap");
    assertThat(over.statusCode()).isEqualTo(400);
    assertThat(json(over).at("/error/message").asText())
        .startsWith("Budget has been exceeded! Team=" + teamId + " Current cost: ");

    assertThat(
            post("/team/update", MASTER, "{\"team_id\":\"" + teamId + "\",\"max_budget\":5}")
                .statusCode())
        .isEqualTo(200);
    assertThat(chat(second, "cheap").statusCode()).isEqualTo(200);
    assertThat(post("/team/block", MASTER, "{\"team_id\":\"" + teamId + "\"}").statusCode())
        .isEqualTo(200);
    HttpResponse<String> blocked = chat(second, "cheap");
    assertThat(blocked.statusCode()).isEqualTo(401);
    assertThat(blocked.body()).contains("Team=" + teamId + " is blocked");
    assertThat(post("/team/unblock", MASTER, "{\"team_id\":\"" + teamId + "\"}").statusCode())
        .isEqualTo(200);
    assertThat(chat(second, "cheap").statusCode()).isEqualTo(200);

    JsonNode info = json(get("/team/info?team_id=" + teamId, MASTER));
    assertThat(info.get("keys")).hasSize(2);
    assertThat(info.at("/team_info/spend").asDouble()).isPositive();
  }

  @Test
  void aTeamsRequestsPerMinuteAreSharedByItsKeys() throws Exception {
    String teamId = json(post("/team/new", MASTER, "{\"rpm_limit\":2}")).get("team_id").asText();
    String first = generate("{\"team_id\":\"" + teamId + "\"}").get("key").asText();
    String second = generate("{\"team_id\":\"" + teamId + "\"}").get("key").asText();
    HttpResponse<String> one = chat(first, "cheap");
    assertThat(one.headers().firstValue("x-ratelimit-team-limit-requests")).hasValue("2");
    assertThat(chat(second, "cheap").statusCode()).isEqualTo(200);
    HttpResponse<String> third = chat(first, "cheap");
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.body()).contains("Rate limit exceeded for team: " + teamId);
  }

  @Test
  void aKeyCannotNameATeamThatDoesNotExist() throws Exception {
    HttpResponse<String> made = post("/key/generate", MASTER, "{\"team_id\":\"no-such-team\"}");
    assertThat(made.statusCode()).isEqualTo(400);
    assertThat(json(made).at("/error/param").asText()).isEqualTo("team_id");
  }

  @Test
  void membersAreAddedAndRemoved() throws Exception {
    String teamId = json(post("/team/new", MASTER, "{}")).get("team_id").asText();
    JsonNode added =
        json(
            post(
                "/team/member_add",
                MASTER,
                "{\"team_id\":\""
                    + teamId
                    + "\",\"member\":{\"user_id\":\"ann\",\"role\":\"admin\"}}"));
    assertThat(added.get("members_with_roles").toString()).contains("\"ann\"").contains("admin");
    HttpResponse<String> twice =
        post(
            "/team/member_add",
            MASTER,
            "{\"team_id\":\"" + teamId + "\",\"member\":[{\"user_id\":\"ann\"}]}");
    assertThat(twice.statusCode()).isEqualTo(400);
    HttpResponse<String> badRole =
        post(
            "/team/member_add",
            MASTER,
            "{\"team_id\":\"" + teamId + "\",\"member\":{\"user_id\":\"bob\",\"role\":\"owner\"}}");
    assertThat(badRole.statusCode()).isEqualTo(400);
    JsonNode removed =
        json(
            post(
                "/team/member_delete",
                MASTER,
                "{\"team_id\":\"" + teamId + "\",\"user_id\":\"ann\"}"));
    assertThat(removed.get("members_with_roles")).isEmpty();
    assertThat(json(get("/team/list", MASTER)).toString()).contains(teamId);
    JsonNode deleted = json(post("/team/delete", MASTER, "{\"team_ids\":[\"" + teamId + "\"]}"));
    assertThat(deleted.get("deleted_teams")).hasSize(1);
    assertThat(get("/team/info?team_id=" + teamId, MASTER).statusCode()).isEqualTo(404);
  }

  @Test
  void aUserGetsAKeyAndItsBudgetHoldsForAllItsKeys() throws Exception {
    JsonNode user =
        json(
            post(
                "/user/new",
                MASTER,
                "{\"user_id\":\"carol\",\"user_email\":\"c@example.com\","
                    + "\"max_budget\":0.0001}"));
    String key = user.get("key").asText();
    assertThat(key).startsWith("sk-");
    String another = generate("{\"user_id\":\"carol\"}").get("key").asText();
    assertThat(chat(key, "cheap").statusCode()).isEqualTo(200);
    HttpResponse<String> over = chat(another, "cheap");
    assertThat(over.statusCode()).isEqualTo(400);
    assertThat(json(over).at("/error/message").asText())
        .startsWith("ExceededBudget: User=carol over budget. Spend=");

    JsonNode info = json(get("/user/info?user_id=carol", MASTER));
    assertThat(info.get("keys")).hasSize(2);
    assertThat(info.at("/user_info/user_email").asText()).isEqualTo("c@example.com");
    assertThat(
            post("/user/update", MASTER, "{\"user_id\":\"carol\",\"max_budget\":null}")
                .statusCode())
        .isEqualTo(200);
    assertThat(chat(another, "cheap").statusCode()).isEqualTo(200);
    assertThat(json(get("/user/list", MASTER)).get("users").toString()).contains("carol");
    assertThat(post("/user/new", MASTER, "{\"user_id\":\"carol\"}").statusCode()).isEqualTo(400);
    assertThat(
            json(post("/user/delete", MASTER, "{\"user_ids\":[\"carol\"]}")).get("deleted_users"))
        .hasSize(1);
    // a key whose user is gone is held to its own limits only
    assertThat(chat(another, "cheap").statusCode()).isEqualTo(200);
  }

  @Test
  void spendIsReportedPerDayAndPerTeamKeyModelAndUser() throws Exception {
    String teamId = json(post("/team/new", MASTER, "{}")).get("team_id").asText();
    String key =
        generate("{\"team_id\":\"" + teamId + "\",\"user_id\":\"dave\"}").get("key").asText();
    double cost =
        Double.parseDouble(
            chat(key, "cheap").headers().firstValue("x-litellm-response-cost").get());
    chat(key, "cheap");
    JsonNode byTeam = json(get("/global/spend/report?group_by=team", MASTER));
    JsonNode today = byTeam.get(byTeam.size() - 1);
    assertThat(today.get("group_by_day").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    JsonNode entry = null;
    for (JsonNode team : today.get("teams")) {
      if (team.get("team_name").asText().equals(teamId)) {
        entry = team;
      }
    }
    assertThat(entry).isNotNull();
    assertThat(entry.get("total_spend").asDouble())
        .isCloseTo(2 * cost, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(entry.get("requests").asLong()).isEqualTo(2);
    assertThat(json(get("/global/spend/report?group_by=model", MASTER)).toString())
        .contains("cheap");
    assertThat(json(get("/global/spend/report?group_by=user", MASTER)).toString()).contains("dave");
    assertThat(json(get("/global/spend/report?group_by=api_key", MASTER)).toString())
        .contains(json(get("/key/info?key=" + key, MASTER)).get("key").asText());
    assertThat(
            json(
                get(
                    "/global/spend/report?group_by=team&start_date=2000-01-01&end_date=2000-01-02",
                    MASTER)))
        .isEmpty();
  }
}
