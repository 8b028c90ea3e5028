package io.feathergate.api;

import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import io.feathergate.wire.Json;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/** The Jersey application: models, health and, later, the admin and SSE resources. */
public final class GatewayApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(ModelsResource.class, HealthResource.class, ErrorMapper.class);
  }

  @Override
  public Set<Object> getSingletons() {
    return Set.of(new JacksonJsonProvider(Json.MAPPER));
  }
}
