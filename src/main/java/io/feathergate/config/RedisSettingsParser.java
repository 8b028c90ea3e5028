package io.feathergate.config;

import io.feathergate.core.RedisSettings;
import io.feathergate.core.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one Redis, from the first place that names one: {@code router_settings} ({@code redis_url},
 * or {@code redis_host}, {@code redis_port}, {@code redis_password}, {@code redis_db}), then {@code
 * litellm_settings.cache_params} when its {@code type} is {@code redis} ({@code host}, {@code
 * port}, {@code password}, {@code username}, {@code ssl}, {@code db}, {@code namespace}, {@code
 * service_name} with {@code sentinel_nodes}, {@code socket_timeout}), then the environment ({@code
 * REDIS_URL}, or {@code REDIS_HOST}, {@code REDIS_PORT}, {@code REDIS_PASSWORD}, {@code
 * REDIS_USERNAME}, {@code REDIS_SSL}). Two places naming different servers is reported: the first
 * is used for everything.
 */
final class RedisSettingsParser {
  private static final String ROUTER = RouterSettingsParser.SECTION;
  private static final String CACHE_PARAMS =
      YamlPath.child(LitellmSettingsParser.SECTION, "cache_params");

  private final EnvResolver env;
  private final Problems problems;

  RedisSettingsParser(EnvResolver env, Problems problems) {
    this.env = env;
    this.problems = problems;
  }

  /** The Redis to use, or null for none (everything stays in this process). */
  RedisSettings parse(Map<String, Object> router, Map<String, Object> litellm) {
    Map<String, Object> cacheParams = cacheParams(litellm);
    RedisSettings fromRouter = fromRouter(router);
    RedisSettings fromCache = cacheParams == null ? null : fromCacheParams(cacheParams);
    RedisSettings chosen = fromRouter != null ? fromRouter : fromCache;
    if (fromRouter != null
        && fromCache != null
        && !fromRouter.describe().equals(fromCache.describe())) {
      problems.warn(
          CACHE_PARAMS,
          "names another Redis than router_settings ("
              + fromCache.describe()
              + " against "
              + fromRouter.describe()
              + "); one Redis serves limits, cooldowns and the cache: "
              + fromRouter.describe());
    }
    if (chosen == null) {
      chosen = fromEnvironment();
    }
    if (chosen == null) {
      return null;
    }
    // the cache's namespace and timeout apply whichever place named the server
    String namespace = cacheParams == null ? null : text(cacheParams, "namespace", CACHE_PARAMS);
    Duration timeout =
        cacheParams == null ? null : timeout(cacheParams.get("socket_timeout"), CACHE_PARAMS);
    return new RedisSettings(
        chosen.host(),
        chosen.port(),
        chosen.username(),
        chosen.password(),
        chosen.ssl(),
        chosen.database(),
        chosen.sentinelMaster(),
        chosen.sentinels(),
        namespace,
        timeout != null ? timeout : RedisSettings.DEFAULT_TIMEOUT);
  }

  /** {@code cache_params} when they describe a Redis cache (LiteLLM's proxy default type). */
  private Map<String, Object> cacheParams(Map<String, Object> litellm) {
    Object value = litellm.get("cache_params");
    if (!(value instanceof Map<?, ?>)) {
      return null;
    }
    Map<String, Object> params = Values.mapping(value, CACHE_PARAMS);
    Object type = params.get("type");
    return type == null || "redis".equals(type) ? params : null;
  }

  private RedisSettings fromRouter(Map<String, Object> router) {
    String url = text(router, "redis_url", ROUTER);
    if (url != null) {
      return fromUrl(url, YamlPath.child(ROUTER, "redis_url"));
    }
    String host = text(router, "redis_host", ROUTER);
    if (host == null) {
      return null;
    }
    return server(
        host,
        port(router.get("redis_port"), YamlPath.child(ROUTER, "redis_port")),
        null,
        text(router, "redis_password", ROUTER),
        false,
        database(router.get("redis_db"), YamlPath.child(ROUTER, "redis_db")));
  }

  private RedisSettings fromCacheParams(Map<String, Object> params) {
    String url = text(params, "url", CACHE_PARAMS);
    if (url != null) {
      return fromUrl(url, YamlPath.child(CACHE_PARAMS, "url"));
    }
    String service = text(params, "service_name", CACHE_PARAMS);
    if (service != null) {
      List<String> sentinels = sentinels(params.get("sentinel_nodes"));
      if (sentinels.isEmpty()) {
        problems.error(
            YamlPath.child(CACHE_PARAMS, "sentinel_nodes"),
            "service_name needs sentinel_nodes ([[host, port], ...]); Redis is not used");
        return null;
      }
      String[] first = sentinels.get(0).split(":", 2);
      return new RedisSettings(
          first[0],
          Integer.parseInt(first[1]),
          text(params, "username", CACHE_PARAMS),
          Secret.ofNullable(text(params, "password", CACHE_PARAMS)),
          bool(params.get("ssl"), YamlPath.child(CACHE_PARAMS, "ssl")),
          database(params.get("db"), YamlPath.child(CACHE_PARAMS, "db")),
          service,
          sentinels,
          null,
          RedisSettings.DEFAULT_TIMEOUT);
    }
    String host = text(params, "host", CACHE_PARAMS);
    if (host == null) {
      return null;
    }
    return server(
        host,
        port(params.get("port"), YamlPath.child(CACHE_PARAMS, "port")),
        text(params, "username", CACHE_PARAMS),
        text(params, "password", CACHE_PARAMS),
        bool(params.get("ssl"), YamlPath.child(CACHE_PARAMS, "ssl")),
        database(params.get("db"), YamlPath.child(CACHE_PARAMS, "db")));
  }

  private RedisSettings fromEnvironment() {
    String url = env.lookup("REDIS_URL");
    if (url != null) {
      return fromUrl(url, "REDIS_URL");
    }
    String host = env.lookup("REDIS_HOST");
    if (host == null) {
      return null;
    }
    return server(
        host,
        port(env.lookup("REDIS_PORT"), "REDIS_PORT"),
        env.lookup("REDIS_USERNAME"),
        env.lookup("REDIS_PASSWORD"),
        bool(env.lookup("REDIS_SSL"), "REDIS_SSL"),
        0);
  }

  /** {@code redis://[user:password@]host[:port][/db]}, {@code rediss://} for TLS. */
  private RedisSettings fromUrl(String url, String path) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      problems.error(path, "is not a redis:// URL; Redis is not used");
      return null;
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme) || uri.getHost() == null) {
      problems.error(
          path,
          "must be redis://[user:password@]host[:port][/db] or rediss://...; Redis is not used");
      return null;
    }
    String username = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      if (parts.length == 2) {
        username = parts[0].isEmpty() ? null : decode(parts[0]);
        password = decode(parts[1]);
      } else {
        password = decode(parts[0]); // redis://secret@host, as redis-py reads it
      }
    }
    int database = 0;
    String dbPath = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
    if (!dbPath.isEmpty()) {
      database = database(dbPath, path);
    }
    return server(
        uri.getHost(),
        uri.getPort() > 0 ? uri.getPort() : RedisSettings.DEFAULT_PORT,
        username,
        password,
        "rediss".equals(scheme),
        database);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static RedisSettings server(
      String host, int port, String username, String password, boolean ssl, int database) {
    return new RedisSettings(
        host,
        port,
        username,
        Secret.ofNullable(password),
        ssl,
        database,
        null,
        List.of(),
        null,
        RedisSettings.DEFAULT_TIMEOUT);
  }

  private String text(Map<String, Object> map, String key, String section) {
    Object value = map.get(key);
    if (value == null) {
      return null;
    }
    try {
      String text = Values.scalarText(value, YamlPath.child(section, key)).strip();
      return text.isEmpty() ? null : text;
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; ignored");
      return null;
    }
  }

  private int port(Object value, String path) {
    if (value == null) {
      return RedisSettings.DEFAULT_PORT;
    }
    try {
      int port = Values.nonNegativeInt(value, path);
      if (port >= 1 && port <= 65_535) {
        return port;
      }
    } catch (InvalidValueException e) {
      // reported below
    }
    problems.error(path, "must be a port number, 1 to 65535; using " + RedisSettings.DEFAULT_PORT);
    return RedisSettings.DEFAULT_PORT;
  }

  private int database(Object value, String path) {
    if (value == null) {
      return 0;
    }
    try {
      return Values.nonNegativeInt(value, path);
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; using database 0");
      return 0;
    }
  }

  private boolean bool(Object value, String path) {
    if (value == null) {
      return false;
    }
    try {
      return Values.bool(value, path);
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; TLS is off");
      return false;
    }
  }

  private Duration timeout(Object value, String path) {
    if (value == null) {
      return null;
    }
    try {
      Duration timeout = Values.seconds(value, YamlPath.child(path, "socket_timeout"));
      return timeout.isZero() ? null : timeout;
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; using the default");
      return null;
    }
  }

  /** LiteLLM's {@code sentinel_nodes: [[host, port], ...]}, as {@code host:port}. */
  private List<String> sentinels(Object value) {
    String path = YamlPath.child(CACHE_PARAMS, "sentinel_nodes");
    List<String> nodes = new ArrayList<>();
    if (!(value instanceof List<?> list)) {
      return nodes;
    }
    for (Object node : list) {
      if (node instanceof List<?> pair && pair.size() == 2 && pair.get(0) instanceof String host) {
        nodes.add(host + ":" + port(pair.get(1), path));
      } else {
        problems.error(path, "each node must be [host, port], got " + Values.describe(node));
      }
    }
    return nodes;
  }
}
