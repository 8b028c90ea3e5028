package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The status page's administration view in a real headless Chromium, driven as a user would: create
 * a team, a user and a key through its forms, block and delete the key with its buttons, and see
 * the spend charts; every change checked through the API.
 */
class AdminPageE2ETest extends KeysRig {
  static RedisServer redis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  /** The keys' gateway, sharing its state through a Redis, whose state the page shows too. */
  @Override
  String config() throws Exception {
    return super.config()
        + "router_settings: {redis_host: 127.0.0.1, redis_port: "
        + redis.port()
        + "}\n";
  }

  @Test
  void keysTeamsAndUsersAreManagedFromThePageAndSpendIsCharted() throws Exception {
    String chromium = ObservabilityE2ETest.findOnPath("chromium");
    if (chromium == null && System.getenv("CI") != null) {
      throw new AssertionError("chromium is missing: .ci/run installs it");
    }
    assumeTrue(chromium != null, "chromium is not installed: skipping (CI installs it)");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path profile = Files.createTempDirectory("feathergate-chromium-");
    Process browser =
        new ProcessBuilder(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-allow-origins=*",
                "--remote-debugging-port=" + port,
                "--user-data-dir=" + profile,
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (Cdp page = Cdp.firstPage(port)) {
      page.navigate(gateway.baseUrl() + "/#key=" + MASTER);
      page.waitFor("!document.getElementById('keys').hidden");
      page.waitFor("document.getElementById('key-db').textContent === 'healthy'");
      page.waitFor("document.getElementById('redis').textContent === 'healthy'");

      fill(page, "team-create", "team_id", "ui-team");
      fill(page, "team-create", "max_budget", "50");
      page.eval("document.querySelector('#team-create button').click()");
      page.waitFor("document.querySelector('#team-rows tr[data-team=\"ui-team\"]')");
      assertThat(
              json(get("/team/info?team_id=ui-team", MASTER))
                  .at("/team_info/max_budget")
                  .asDouble())
          .isEqualTo(50);

      fill(page, "user-create", "user_id", "ui-user");
      fill(page, "user-create", "user_email", "ui@example.com");
      page.eval("document.querySelector('#user-create button').click()");
      page.waitFor("document.querySelector('#user-rows tr[data-user=\"ui-user\"]')");
      assertThat(
              json(get("/user/info?user_id=ui-user", MASTER)).at("/user_info/user_email").asText())
          .isEqualTo("ui@example.com");

      fill(page, "key-create", "key_alias", "ui-key");
      fill(page, "key-create", "models", "cheap, other");
      fill(page, "key-create", "team_id", "ui-team");
      fill(page, "key-create", "user_id", "ui-user");
      fill(page, "key-create", "max_budget", "5");
      page.eval("document.querySelector('#key-create button').click()");
      page.waitFor("document.getElementById('new-key').textContent.startsWith('sk-')");
      String key = page.eval("document.getElementById('new-key').textContent").asText();
      assertThat(chat(key, "cheap").statusCode()).isEqualTo(200);
      assertThat(json(get("/key/info?key=" + key, MASTER)).at("/info/team_id").asText())
          .isEqualTo("ui-team");

      String row =
          "[...document.querySelectorAll('#key-rows tr')].find(r => r.textContent.includes('ui-key'))";
      page.waitFor(row);
      page.eval(row + ".querySelector('button').click()");
      page.waitFor(row + ".textContent.includes('Unblock')");
      assertThat(chat(key, "cheap").statusCode()).isEqualTo(401);

      // the call above was spent: the charts show it once the page reads the report again
      page.eval("location.reload()");
      // the three charts are drawn one after the other: each is waited for
      page.waitFor("document.querySelector('#chart-team .spend-bar')");
      page.waitFor("document.getElementById('chart-model').textContent.includes('cheap')");
      assertThat(page.eval("document.querySelectorAll('#chart-api_key .spend-bar').length").asInt())
          .isPositive();

      page.waitFor(row);
      page.eval(row + ".querySelector('button.danger').click()");
      page.waitFor("!" + row);
      assertThat(get("/key/info?key=" + key, MASTER).statusCode()).isEqualTo(404);

      String userRow = "document.querySelector('#user-rows tr[data-user=\"ui-user\"] button')";
      page.eval(userRow + ".click()");
      page.waitFor("!document.querySelector('#user-rows tr[data-user=\"ui-user\"]')");
      assertThat(get("/user/info?user_id=ui-user", MASTER).statusCode()).isEqualTo(404);

      // Redis gone: the page says so, and that each replica now counts for itself
      redis.kill();
      page.eval("location.reload()");
      page.waitFor(
          "document.getElementById('redis').textContent === 'unavailable, limits per replica'");
    } finally {
      browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void fill(Cdp page, String form, String name, String value) throws Exception {
    page.eval(
        "document.querySelector('#" + form + " [name=\"" + name + "\"]').value = '" + value + "'");
  }
}
