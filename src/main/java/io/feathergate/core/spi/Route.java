package io.feathergate.core.spi;

import io.feathergate.core.Deployment;

/**
 * A deployment chosen for one request.
 *
 * @param deployment the deployment
 * @param upstreamModel the model name to send upstream (wildcards filled in)
 */
public record Route(Deployment deployment, String upstreamModel) {}
