package io.feathergate.api;

import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import io.feathergate.wire.Json;
import jakarta.ws.rs.core.Application;
import java.util.Set;
import org.glassfish.jersey.media.sse.SseFeature;

/** The Jersey application: models, health, the live feed (SSE) and the status page. */
public final class GatewayApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(
        ModelsResource.class,
        HealthResource.class,
        EventsResource.class,
        StatusPageResource.class,
        ResponsesResource.class,
        ManagementResource.class,
        CacheResource.class,
        SseFeature.class,
        ErrorMapper.class);
  }

  @Override
  public Set<Object> getSingletons() {
    return Set.of(new JacksonJsonProvider(Json.MAPPER));
  }
}
