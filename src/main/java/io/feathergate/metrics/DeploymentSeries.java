package io.feathergate.metrics;

import io.feathergate.core.Deployment;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * One deployment's data points, resolved at startup: recording a request then costs an atomic add
 * or two, with no label lookup. The series of requests that reached no deployment use {@code
 * "None"} for every deployment label.
 */
final class DeploymentSeries {
  private static final String NONE = LabelValues.NONE;

  final String[] deploymentLabels;
  private final String requestedModel;
  private final String hashedKey;
  private final String user;

  final DistributionDataPoint totalLatency;
  final DistributionDataPoint apiLatency;
  final DistributionDataPoint timeToFirstToken;
  final DistributionDataPoint overheadLatency;
  final CounterDataPoint inputTokens;
  final CounterDataPoint outputTokens;
  final CounterDataPoint totalTokens;
  final CounterDataPoint deploymentSuccess;
  final CounterDataPoint deploymentTotal;

  DeploymentSeries(PrometheusMetrics metrics, Deployment deployment) {
    this(metrics, deployment, metrics.hashedKey(), metrics.user());
  }

  /** The series of one caller's requests ({@code hashed_api_key}, {@code user}) to a deployment. */
  DeploymentSeries(
      PrometheusMetrics metrics, Deployment deployment, String hashedKey, String user) {
    this.hashedKey = hashedKey;
    this.user = user;
    requestedModel = deployment == null ? NONE : deployment.modelGroup();
    String model = deployment == null ? NONE : deployment.upstreamModel();
    String litellmModelName = deployment == null ? NONE : LabelValues.litellmModelName(deployment);
    String apiBase = deployment == null ? NONE : LabelValues.apiBase(deployment);
    String provider = deployment == null ? NONE : deployment.provider();
    String modelId = deployment == null ? NONE : deployment.id();
    totalLatency =
        metrics.totalLatency.labelValues(
            NONE, hashedKey, NONE, requestedModel, NONE, NONE, user, model);
    apiLatency =
        metrics.apiLatency.labelValues(
            model, hashedKey, NONE, NONE, NONE, requestedModel, NONE, user);
    timeToFirstToken = metrics.timeToFirstToken.labelValues(model, hashedKey, NONE, NONE, NONE);
    overheadLatency =
        metrics.overheadLatency.labelValues(
            requestedModel, provider, apiBase, litellmModelName, hashedKey, NONE);
    String[] tokenLabels = {NONE, hashedKey, NONE, model, NONE, NONE, user, requestedModel};
    inputTokens = metrics.inputTokens.labelValues(tokenLabels);
    outputTokens = metrics.outputTokens.labelValues(tokenLabels);
    totalTokens = metrics.totalTokens.labelValues(tokenLabels);
    deploymentLabels =
        new String[] {
          requestedModel, litellmModelName, modelId, apiBase, provider, hashedKey, NONE, NONE, NONE
        };
    if (deployment != null) {
      deploymentSuccess = metrics.deploymentSuccess.labelValues(deploymentLabels);
      deploymentTotal = metrics.deploymentTotal.labelValues(deploymentLabels);
    } else {
      deploymentSuccess = null;
      deploymentTotal = null;
    }
  }

  /** Labels of {@code litellm_proxy_total_requests_metric}. */
  String[] requestLabels(String statusCode, String route) {
    return new String[] {
      NONE, hashedKey, NONE, requestedModel, NONE, NONE, user, statusCode, route
    };
  }

  /** Labels of {@code litellm_proxy_failed_requests_metric}. */
  String[] requestLabels(String exceptionStatus, String exceptionClass, String route) {
    return new String[] {
      NONE,
      hashedKey,
      NONE,
      requestedModel,
      NONE,
      NONE,
      user,
      exceptionStatus,
      exceptionClass,
      route
    };
  }
}
