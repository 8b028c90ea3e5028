package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.keys.KeyService;
import io.feathergate.core.keys.KeyStore;
import io.feathergate.core.keys.TeamsAndUsers;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * LiteLLM's management and spend routes: keys ({@code /key/generate}, {@code /key/info}, {@code
 * /key/update}, {@code /key/delete}, {@code /key/list}, {@code /key/block}, {@code /key/unblock},
 * {@code /key/{key}/regenerate}), teams ({@code /team/new}, {@code /team/info}, {@code
 * /team/update}, {@code /team/delete}, {@code /team/list}, {@code /team/member_add}, {@code
 * /team/member_delete}, {@code /team/block}, {@code /team/unblock}), users ({@code /user/new},
 * {@code /user/info}, {@code /user/update}, {@code /user/delete}, {@code /user/list}) and spend
 * ({@code /spend/logs}, {@code /global/spend/report}). Only the master key may call them. Bodies
 * are read here rather than by Jersey, so that malformed JSON is a 400 in OpenAI's shape.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class ManagementResource {
  private static final Logger LOG = Logger.getLogger(ManagementResource.class.getName());
  private static final int DEFAULT_SPEND_LOG_LIMIT = 1000;

  @Context private ServletContext servletContext;
  @Context private HttpServletRequest request;

  @POST
  @Path("key/generate")
  public ObjectNode generate(String body) {
    Principal caller = admin();
    return run(() -> keys().generate(JsonFields.objectBody(body), caller));
  }

  @GET
  @Path("key/info")
  public ObjectNode info(@QueryParam("key") String key) {
    admin();
    return run(() -> keys().info(key));
  }

  @POST
  @Path("key/update")
  public ObjectNode update(String body) {
    admin();
    return run(() -> keys().update(JsonFields.objectBody(body)));
  }

  @POST
  @Path("key/delete")
  public ObjectNode delete(String body) {
    admin();
    return run(() -> keys().delete(JsonFields.objectBody(body)));
  }

  @POST
  @Path("key/block")
  public ObjectNode block(String body) {
    admin();
    return run(() -> keys().setBlocked(JsonFields.objectBody(body), true));
  }

  @POST
  @Path("key/unblock")
  public ObjectNode unblock(String body) {
    admin();
    return run(() -> keys().setBlocked(JsonFields.objectBody(body), false));
  }

  @POST
  @Path("key/{key}/regenerate")
  public ObjectNode regenerate(@PathParam("key") String key) {
    admin();
    return run(() -> keys().regenerate(key));
  }

  @GET
  @Path("key/list")
  public ObjectNode list(
      @QueryParam("user_id") String userId,
      @QueryParam("team_id") String teamId,
      @QueryParam("key_alias") String keyAlias,
      @QueryParam("page") @DefaultValue("1") String page,
      @QueryParam("size") @DefaultValue("10") String size,
      @QueryParam("return_full_object") @DefaultValue("false") String fullObjects) {
    admin();
    return run(
        () ->
            keys()
                .list(
                    userId,
                    teamId,
                    keyAlias,
                    whole(page, "page"),
                    whole(size, "size"),
                    Boolean.parseBoolean(fullObjects)));
  }

  @GET
  @Path("spend/logs")
  public JsonNode spendLogs(
      @QueryParam("api_key") String apiKey,
      @QueryParam("request_id") String requestId,
      @QueryParam("user_id") String userId,
      @QueryParam("start_date") String startDate,
      @QueryParam("end_date") String endDate) {
    admin();
    Instant from = date(startDate, "start_date", false);
    Instant to = date(endDate, "end_date", true);
    return run(
        () -> keys().spendLogs(apiKey, requestId, userId, from, to, DEFAULT_SPEND_LOG_LIMIT));
  }

  @GET
  @Path("global/spend/report")
  public JsonNode spendReport(
      @QueryParam("start_date") String startDate,
      @QueryParam("end_date") String endDate,
      @QueryParam("group_by") String groupBy) {
    admin();
    Instant from = date(startDate, "start_date", false);
    Instant to = date(endDate, "end_date", true);
    return run(() -> keys().spendReport(groupBy, from, to));
  }

  @POST
  @Path("team/new")
  public ObjectNode newTeam(String body) {
    admin();
    return run(() -> teams().newTeam(JsonFields.objectBody(body)));
  }

  @GET
  @Path("team/info")
  public ObjectNode teamInfo(@QueryParam("team_id") String teamId) {
    admin();
    return run(() -> teams().teamInfo(teamId));
  }

  @POST
  @Path("team/update")
  public ObjectNode updateTeam(String body) {
    admin();
    return run(() -> teams().updateTeam(JsonFields.objectBody(body)));
  }

  @POST
  @Path("team/delete")
  public ObjectNode deleteTeams(String body) {
    admin();
    return run(() -> teams().deleteTeams(JsonFields.objectBody(body)));
  }

  @GET
  @Path("team/list")
  public JsonNode listTeams() {
    admin();
    return run(() -> teams().listTeams());
  }

  @POST
  @Path("team/member_add")
  public ObjectNode addMember(String body) {
    admin();
    return run(() -> teams().addMembers(JsonFields.objectBody(body)));
  }

  @POST
  @Path("team/member_delete")
  public ObjectNode deleteMember(String body) {
    admin();
    return run(() -> teams().deleteMember(JsonFields.objectBody(body)));
  }

  @POST
  @Path("team/block")
  public ObjectNode blockTeam(String body) {
    admin();
    return run(() -> teams().setTeamBlocked(JsonFields.objectBody(body), true));
  }

  @POST
  @Path("team/unblock")
  public ObjectNode unblockTeam(String body) {
    admin();
    return run(() -> teams().setTeamBlocked(JsonFields.objectBody(body), false));
  }

  @POST
  @Path("user/new")
  public ObjectNode newUser(String body) {
    Principal caller = admin();
    return run(() -> teams().newUser(JsonFields.objectBody(body), caller));
  }

  @GET
  @Path("user/info")
  public ObjectNode userInfo(@QueryParam("user_id") String userId) {
    admin();
    return run(() -> teams().userInfo(userId));
  }

  @POST
  @Path("user/update")
  public ObjectNode updateUser(String body) {
    admin();
    return run(() -> teams().updateUser(JsonFields.objectBody(body)));
  }

  @POST
  @Path("user/delete")
  public ObjectNode deleteUsers(String body) {
    admin();
    return run(() -> teams().deleteUsers(JsonFields.objectBody(body)));
  }

  @GET
  @Path("user/list")
  public ObjectNode listUsers(
      @QueryParam("page") @DefaultValue("1") String page,
      @QueryParam("page_size") @DefaultValue("25") String pageSize) {
    admin();
    return run(() -> teams().listUsers(whole(page, "page"), whole(pageSize, "page_size")));
  }

  private Principal admin() {
    // the path is not echoed: /key/{key}/regenerate carries a key in it
    return AuthFilter.admin(
        request, "Only the proxy admin (the master key) may manage keys, teams, users and spend.");
  }

  private KeyService keys() {
    return management().keys();
  }

  private TeamsAndUsers teams() {
    return management().teamsAndUsers();
  }

  private ApiServices.Management management() {
    ApiServices services = ApiServices.of(servletContext);
    ApiServices.Management management = services == null ? null : services.management();
    if (management == null) {
      throw GatewayException.badRequest(
          "Virtual keys need a master key: set general_settings.master_key (or"
              + " LITELLM_MASTER_KEY).",
          null);
    }
    return management;
  }

  /** Runs a management call; a database that cannot answer is a 503, its details only logged. */
  private static <T> T run(Supplier<T> call) {
    try {
      return call.get();
    } catch (KeyStore.StoreException e) {
      LOG.log(Level.WARNING, "a key management call failed: {0}", e.getMessage());
      throw GatewayException.serviceUnavailable(
          "The key database is unavailable; try again shortly.");
    }
  }

  private static int whole(String value, String name) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw GatewayException.badRequest(name + " must be a whole number", name);
    }
  }

  /** A {@code YYYY-MM-DD} date (an end date counts in full) or an ISO-8601 time, or null. */
  private static Instant date(String value, String name, boolean end) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      if (value.length() == 10) {
        LocalDate day = LocalDate.parse(value);
        return (end ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw GatewayException.badRequest(
          name + " must be a date (YYYY-MM-DD) or an ISO-8601 time", name);
    }
  }
}
