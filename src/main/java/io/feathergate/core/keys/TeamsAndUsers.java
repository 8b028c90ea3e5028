package io.feathergate.core.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.auth.Budgeted;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.auth.Team;
import io.feathergate.core.auth.User;
import io.feathergate.core.errors.GatewayException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * LiteLLM's team and user management ({@code /team/new}, {@code /team/member_add}, {@code
 * /user/new}, ...), in its shapes. A team's or user's models, budget and limits apply to every key
 * that names it; changes are in force at once on this gateway.
 */
public final class TeamsAndUsers {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ROLES = Set.of("admin", "user");
  private static final int MAX_PAGE_SIZE = 100;

  private final KeyStore store;
  private final KeyDirectory directory;
  private final KeyService keys;
  private final Clock clock;

  public TeamsAndUsers(KeyStore store, KeyDirectory directory, KeyService keys, Clock clock) {
    this.store = store;
    this.directory = directory;
    this.keys = keys;
    this.clock = clock;
  }

  // ---- teams

  public ObjectNode newTeam(ObjectNode body) {
    KeyFields fields = new KeyFields(body, KeyFields.TEAM_FIELDS);
    Instant now = clock.instant();
    String teamId = fields.text("team_id");
    if (teamId == null) {
      teamId = UUID.randomUUID().toString();
    } else if (teamId.isBlank()) {
      throw KeyFields.invalid("team_id", "must not be blank");
    }
    KeyFields.Budget budget = fields.budget(null, now);
    Team team =
        new Team(
            teamId,
            fields.text("team_alias"),
            fields.models(),
            fields.amount("max_budget"),
            budget.duration(),
            budget.resetAt(),
            0,
            fields.count("rpm_limit"),
            fields.count("tpm_limit"),
            fields.count("max_parallel_requests"),
            fields.flag("blocked"),
            members(body.get("members_with_roles"), "members_with_roles"),
            fields.metadata(),
            now,
            now);
    try {
      store.saveTeam(team, true);
    } catch (KeyStore.DuplicateKeyException e) {
      throw GatewayException.badRequest(
          "Team id = " + team.teamId() + " already exists. Please use a different team id.",
          "team_id");
    }
    directory.changed(team);
    return describe(team);
  }

  public ObjectNode teamInfo(String teamId) {
    keys.writeSpend();
    Team team = existingTeam(teamId);
    ObjectNode answer = JSON.createObjectNode();
    answer.put("team_id", team.teamId());
    answer.set("team_info", describe(team));
    answer.set(
        "keys",
        keys.list(null, team.teamId(), null, 1, MAX_PAGE_SIZE, true).get("keys").deepCopy());
    return answer;
  }

  public ObjectNode updateTeam(ObjectNode body) {
    KeyFields fields = new KeyFields(body, KeyFields.TEAM_FIELDS);
    Team team = existingTeam(fields.text("team_id"));
    Instant now = clock.instant();
    KeyFields.Budget budget = fields.budget(team, now);
    Team updated =
        new Team(
            team.teamId(),
            fields.has("team_alias") ? fields.text("team_alias") : team.teamAlias(),
            fields.has("models") ? fields.models() : team.models(),
            fields.has("max_budget") ? fields.amount("max_budget") : team.maxBudget(),
            budget.duration(),
            budget.resetAt(),
            team.spend(),
            fields.has("rpm_limit") ? fields.count("rpm_limit") : team.rpmLimit(),
            fields.has("tpm_limit") ? fields.count("tpm_limit") : team.tpmLimit(),
            fields.has("max_parallel_requests")
                ? fields.count("max_parallel_requests")
                : team.maxParallelRequests(),
            fields.has("blocked") ? fields.flag("blocked") : team.blocked(),
            fields.has("members_with_roles")
                ? members(body.get("members_with_roles"), "members_with_roles")
                : team.members(),
            fields.has("metadata") ? fields.metadata() : team.metadata(),
            team.createdAt(),
            now);
    return saveTeam(updated);
  }

  /** {@code /team/block} and {@code /team/unblock}: every key of the team stops, or resumes. */
  public ObjectNode setTeamBlocked(ObjectNode body, boolean blocked) {
    ObjectNode change = JSON.createObjectNode();
    change.set("team_id", body.get("team_id"));
    change.put("blocked", blocked);
    return updateTeam(change);
  }

  public ObjectNode addMembers(ObjectNode body) {
    Team team = existingTeam(text(body, "team_id"));
    JsonNode member = body.get("member");
    List<Team.Member> added =
        members(
            member != null && member.isObject() ? JSON.createArrayNode().add(member) : member,
            "member");
    if (added.isEmpty()) {
      throw KeyFields.invalid("member", "must name at least one member");
    }
    List<Team.Member> members = new ArrayList<>(team.members());
    for (Team.Member one : added) {
      if (members.stream().anyMatch(m -> m.userId().equals(one.userId()))) {
        throw GatewayException.badRequest(
            "User=" + one.userId() + " already in team=" + team.teamId(), "member");
      }
      members.add(one);
    }
    return saveTeam(withMembers(team, members));
  }

  public ObjectNode deleteMember(ObjectNode body) {
    Team team = existingTeam(text(body, "team_id"));
    String userId = text(body, "user_id");
    List<Team.Member> members = new ArrayList<>(team.members());
    if (!members.removeIf(m -> m.userId().equals(userId))) {
      throw GatewayException.badRequest(
          "User=" + userId + " is not a member of team=" + team.teamId(), "user_id");
    }
    return saveTeam(withMembers(team, members));
  }

  private Team withMembers(Team team, List<Team.Member> members) {
    return new Team(
        team.teamId(),
        team.teamAlias(),
        team.models(),
        team.maxBudget(),
        team.budgetDuration(),
        team.budgetResetAt(),
        team.spend(),
        team.rpmLimit(),
        team.tpmLimit(),
        team.maxParallelRequests(),
        team.blocked(),
        members,
        team.metadata(),
        team.createdAt(),
        clock.instant());
  }

  private ObjectNode saveTeam(Team team) {
    store.saveTeam(team, false);
    directory.changed(team);
    return describe(team);
  }

  public ObjectNode deleteTeams(ObjectNode body) {
    List<String> ids = texts(body, "team_ids");
    for (String id : ids) {
      existingTeam(id);
    }
    List<String> deleted = store.deleteTeams(ids);
    deleted.forEach(id -> directory.removed("team:" + id));
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode list = answer.putArray("deleted_teams");
    deleted.forEach(list::add);
    return answer;
  }

  public ArrayNode listTeams() {
    ArrayNode teams = JSON.createArrayNode();
    store.listTeams().forEach(team -> teams.add(describe(team)));
    return teams;
  }

  private Team existingTeam(String teamId) {
    if (teamId == null || teamId.isBlank()) {
      throw KeyFields.invalid("team_id", "is required");
    }
    return store
        .findTeam(teamId)
        .orElseThrow(() -> GatewayException.notFound("Team not found, passed team_id=" + teamId));
  }

  private static List<Team.Member> members(JsonNode value, String field) {
    List<Team.Member> members = new ArrayList<>();
    if (value == null || value.isNull()) {
      return members;
    }
    if (!value.isArray()) {
      throw KeyFields.invalid(field, "must be a list of {\"user_id\", \"role\"}");
    }
    for (JsonNode member : value) {
      JsonNode userId = member.get("user_id");
      JsonNode role = member.get("role");
      if (!member.isObject()
          || userId == null
          || !userId.isTextual()
          || userId.textValue().isBlank()
          || userId.textValue().length() > 255
          || role != null
              && !role.isNull()
              && !(role.isTextual() && ROLES.contains(role.textValue()))) {
        throw KeyFields.invalid(
            field, "must be a list of {\"user_id\", \"role\"} with role admin or user");
      }
      members.add(
          new Team.Member(
              userId.textValue(), role == null || role.isNull() ? "user" : role.textValue()));
    }
    return members;
  }

  static ObjectNode describe(Team team) {
    ObjectNode out = JSON.createObjectNode();
    out.put("team_id", team.teamId());
    out.put("team_alias", team.teamAlias());
    budgetFields(out, team);
    out.put("blocked", team.blocked());
    ArrayNode members = out.putArray("members_with_roles");
    for (Team.Member member : team.members()) {
      members.addObject().put("user_id", member.userId()).put("role", member.role());
    }
    metadata(out, team.metadata());
    out.put("created_at", team.createdAt().toString());
    out.put("updated_at", team.updatedAt().toString());
    return out;
  }

  // ---- users

  /** {@code /user/new}: a user, and (unless {@code auto_create_key} is false) a key for it. */
  public ObjectNode newUser(ObjectNode body, Principal caller) {
    KeyFields fields = new KeyFields(body, KeyFields.USER_FIELDS);
    Instant now = clock.instant();
    String userId = fields.text("user_id");
    if (userId == null) {
      userId = UUID.randomUUID().toString();
    } else if (userId.isBlank()) {
      throw KeyFields.invalid("user_id", "must not be blank");
    }
    KeyFields.Budget budget = fields.budget(null, now);
    List<String> teams = texts(body, "teams", false);
    for (String team : teams) {
      existingTeam(team);
    }
    User user =
        new User(
            userId,
            fields.text("user_email"),
            fields.text("user_role"),
            fields.models(),
            fields.amount("max_budget"),
            budget.duration(),
            budget.resetAt(),
            0,
            fields.count("rpm_limit"),
            fields.count("tpm_limit"),
            fields.count("max_parallel_requests"),
            fields.metadata(),
            now,
            now);
    try {
      store.saveUser(user, true);
    } catch (KeyStore.DuplicateKeyException e) {
      throw GatewayException.badRequest(
          "User id = " + user.userId() + " already exists.", "user_id");
    }
    directory.changed(user);
    for (String team : teams) {
      ObjectNode add = JSON.createObjectNode().put("team_id", team);
      add.putObject("member").put("user_id", userId).put("role", "user");
      addMembers(add);
    }
    ObjectNode answer = describeUser(user);
    if (!body.has("auto_create_key") || fields.flag("auto_create_key")) {
      ObjectNode keyRequest = JSON.createObjectNode().put("user_id", userId);
      if (fields.text("key_alias") != null) {
        keyRequest.put("key_alias", fields.text("key_alias"));
      }
      ObjectNode key = keys.generate(keyRequest, caller);
      answer.put("key", key.get("key").asText());
      answer.put("token", key.get("token").asText());
    }
    return answer;
  }

  public ObjectNode userInfo(String userId) {
    keys.writeSpend();
    User user = existingUser(userId);
    ObjectNode answer = JSON.createObjectNode();
    answer.put("user_id", user.userId());
    answer.set("user_info", describeUser(user));
    answer.set(
        "keys",
        keys.list(user.userId(), null, null, 1, MAX_PAGE_SIZE, true).get("keys").deepCopy());
    ArrayNode teams = answer.putArray("teams");
    for (Team team : store.listTeams()) {
      if (team.members().stream().anyMatch(m -> m.userId().equals(user.userId()))) {
        teams.add(describe(team));
      }
    }
    return answer;
  }

  public ObjectNode updateUser(ObjectNode body) {
    KeyFields fields = new KeyFields(body, KeyFields.USER_FIELDS);
    User user = existingUser(fields.text("user_id"));
    Instant now = clock.instant();
    KeyFields.Budget budget = fields.budget(user, now);
    User updated =
        new User(
            user.userId(),
            fields.has("user_email") ? fields.text("user_email") : user.userEmail(),
            fields.has("user_role") ? fields.text("user_role") : user.userRole(),
            fields.has("models") ? fields.models() : user.models(),
            fields.has("max_budget") ? fields.amount("max_budget") : user.maxBudget(),
            budget.duration(),
            budget.resetAt(),
            user.spend(),
            fields.has("rpm_limit") ? fields.count("rpm_limit") : user.rpmLimit(),
            fields.has("tpm_limit") ? fields.count("tpm_limit") : user.tpmLimit(),
            fields.has("max_parallel_requests")
                ? fields.count("max_parallel_requests")
                : user.maxParallelRequests(),
            fields.has("metadata") ? fields.metadata() : user.metadata(),
            user.createdAt(),
            now);
    store.saveUser(updated, false);
    directory.changed(updated);
    return describeUser(updated);
  }

  public ObjectNode deleteUsers(ObjectNode body) {
    List<String> ids = texts(body, "user_ids");
    for (String id : ids) {
      existingUser(id);
    }
    List<String> deleted = store.deleteUsers(ids);
    deleted.forEach(id -> directory.removed("user:" + id));
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode list = answer.putArray("deleted_users");
    deleted.forEach(list::add);
    return answer;
  }

  public ObjectNode listUsers(int page, int pageSize) {
    if (page < 1) {
      throw KeyFields.invalid("page", "must be 1 or more");
    }
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw KeyFields.invalid("page_size", "must be from 1 to " + MAX_PAGE_SIZE);
    }
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode users = answer.putArray("users");
    store.listUsers(page, pageSize).forEach(user -> users.add(describeUser(user)));
    answer.put("page", page);
    answer.put("page_size", pageSize);
    return answer;
  }

  private User existingUser(String userId) {
    if (userId == null || userId.isBlank()) {
      throw KeyFields.invalid("user_id", "is required");
    }
    return store
        .findUser(userId)
        .orElseThrow(() -> GatewayException.notFound("User not found, passed user_id=" + userId));
  }

  static ObjectNode describeUser(User user) {
    ObjectNode out = JSON.createObjectNode();
    out.put("user_id", user.userId());
    out.put("user_email", user.userEmail());
    out.put("user_role", user.userRole());
    budgetFields(out, user);
    metadata(out, user.metadata());
    out.put("created_at", user.createdAt().toString());
    out.put("updated_at", user.updatedAt().toString());
    return out;
  }

  // ---- shared

  private static void budgetFields(ObjectNode out, Budgeted budgeted) {
    ArrayNode models = out.putArray("models");
    budgeted.models().forEach(models::add);
    if (budgeted.maxBudget() == null) {
      out.putNull("max_budget");
    } else {
      out.put("max_budget", budgeted.maxBudget());
    }
    out.put("budget_duration", budgeted.budgetDuration());
    out.put(
        "budget_reset_at",
        budgeted.budgetResetAt() == null ? null : budgeted.budgetResetAt().toString());
    out.put("spend", budgeted.spend());
    putCount(out, "rpm_limit", budgeted.rpmLimit());
    putCount(out, "tpm_limit", budgeted.tpmLimit());
    putCount(out, "max_parallel_requests", budgeted.maxParallelRequests());
  }

  private static void putCount(ObjectNode out, String field, Long value) {
    if (value == null) {
      out.putNull(field);
    } else {
      out.put(field, value);
    }
  }

  private static void metadata(ObjectNode out, String metadata) {
    try {
      out.set("metadata", JSON.readTree(metadata));
    } catch (java.io.IOException e) {
      out.putObject("metadata");
    }
  }

  private static String text(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual() || value.textValue().isBlank()) {
      throw KeyFields.invalid(field, "is required");
    }
    return value.textValue();
  }

  private static List<String> texts(ObjectNode body, String field) {
    List<String> values = texts(body, field, true);
    if (values.isEmpty()) {
      throw KeyFields.invalid(field, "must name at least one");
    }
    return values;
  }

  private static List<String> texts(ObjectNode body, String field, boolean required) {
    JsonNode value = body.get(field);
    List<String> values = new ArrayList<>();
    if (value == null || value.isNull()) {
      if (required) {
        throw KeyFields.invalid(field, "is required");
      }
      return values;
    }
    if (!value.isArray()) {
      throw KeyFields.invalid(field, "must be a list of strings");
    }
    for (JsonNode one : value) {
      if (!one.isTextual()) {
        throw KeyFields.invalid(field, "must be a list of strings");
      }
      values.add(one.textValue());
    }
    return values;
  }
}
