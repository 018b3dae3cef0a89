package io.fleetlens.query.golden;

import java.util.List;

/**
 * Where a workload's request metrics can come from, in the order they are tried: the first with
 * series for the workload answers. Each names its request counter, its duration histogram (both as
 * Prometheus exposes them), the matcher that picks its failed requests (5xx answers for HTTP; for
 * gRPC, which has no HTTP status, the codes that mean the server failed), and the labels that hold
 * the workload's namespace and name.
 */
record RequestSource(String name, String requests, String histogram, String failed, String namespaceLabel,
    String workloadLabel) {

  /** Micrometer's {@code http.server.requests} timer (Spring Boot, Micronaut, Quarkus...). */
  static final RequestSource MICROMETER = new RequestSource("micrometer", "http_server_requests_seconds_count",
      "http_server_requests_seconds", "status=~\"5..\"", "namespace", "workload");
  /** OpenTelemetry's {@code http.server.request.duration} histogram, exported to Prometheus. */
  static final RequestSource OPENTELEMETRY = new RequestSource("opentelemetry",
      "http_server_request_duration_seconds_count", "http_server_request_duration_seconds",
      "http_response_status_code=~\"5..\"", "namespace", "workload");
  /**
   * ingress-nginx's controller metrics, per backend service; scraped by the collector from the
   * controller's pod, the service's namespace is {@code exported_namespace}.
   */
  static final RequestSource INGRESS_NGINX = new RequestSource("ingress-nginx", "nginx_ingress_controller_requests",
      "nginx_ingress_controller_request_duration_seconds", "status=~\"5..\"", "exported_namespace", "service");
  /** What the aggregator counts from access-log lines. */
  static final RequestSource ACCESS_LOGS = new RequestSource("access-logs", "fleetlens_log_http_requests_total",
      "fleetlens_log_http_request_duration_seconds", "code=~\"5..\"", "namespace", "workload");
  /**
   * gRPC servers instrumented with go-grpc-prometheus or grpc-java's Prometheus interceptors: the
   * codes that mean the server failed (not the caller) count as errors.
   */
  static final RequestSource GRPC = new RequestSource("grpc", "grpc_server_handled_total",
      "grpc_server_handling_seconds", "grpc_code=~\"Unknown|DeadlineExceeded|Unimplemented|Internal|Unavailable|DataLoss\"",
      "namespace", "workload");

  static final List<RequestSource> ALL = List.of(MICROMETER, OPENTELEMETRY, GRPC, INGRESS_NGINX, ACCESS_LOGS);

  /** The label matchers of one workload's series, without braces. */
  String selector(Workload w) {
    return "cluster=\"" + w.cluster() + "\"," + namespaceLabel + "=\"" + w.namespace() + "\"," + workloadLabel + "=\""
        + w.name() + "\"";
  }
}
