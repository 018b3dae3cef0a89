package io.fleetlens.local;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The demo node's kubelet and its pods' metrics endpoints, simulated over plain HTTP on loopback:
 * {@code /pods} lists the {@link DemoWorkload}'s pods in the kubelet's format (labels, owners, so
 * each pod belongs to its Deployment or StatefulSet, requests and limits, and the
 * {@code prometheus.io/scrape} annotation), and {@code /demo/<pod>/metrics} is each pod's exposition:
 * what cAdvisor would say of its container (CPU, memory, throttling), and for the {@code cart} pods
 * Micrometer's {@code http_server_requests_seconds} timer, counting at steady rates from start.
 */
final class DemoKubelet implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double[] LE = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  private static final double[] SHARE = {0.05, 0.15, 0.3, 0.25, 0.15, 0.07, 0.02, 0.008, 0.002}; // the rest above 2.5 s

  private final List<DemoWorkload.Pod> pods;
  private final HttpServer server;
  private final long started = System.nanoTime();

  DemoKubelet(List<DemoWorkload.Pod> pods) throws IOException {
    this.pods = pods;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/pods", this::podList);
    server.createContext("/demo/", this::metrics);
  }

  DemoKubelet start() {
    server.start();
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void podList(HttpExchange exchange) throws IOException {
    ObjectNode list = JSON.createObjectNode().put("kind", "PodList").put("apiVersion", "v1");
    ArrayNode items = list.putArray("items");
    for (DemoWorkload.Pod pod : pods) {
      ObjectNode item = items.addObject();
      ObjectNode meta = item.putObject("metadata").put("name", pod.name()).put("namespace", pod.namespace())
          .put("uid", pod.uid());
      String workload = pod.workload();
      ObjectNode labels = meta.putObject("labels").put("app.kubernetes.io/name", workload);
      ObjectNode owner = meta.putArray("ownerReferences").addObject().put("controller", true).put("apiVersion", "apps/v1");
      if (pod.name().matches(".*-\\d+$")) {
        owner.put("kind", "StatefulSet").put("name", workload);
      } else {
        String replicaSet = pod.name().substring(0, pod.name().lastIndexOf('-'));
        labels.put("pod-template-hash", replicaSet.substring(workload.length() + 1));
        owner.put("kind", "ReplicaSet").put("name", replicaSet);
      }
      meta.putObject("annotations").put("prometheus.io/scrape", "true")
          .put("prometheus.io/port", Integer.toString(server.getAddress().getPort()))
          .put("prometheus.io/path", "/demo/" + pod.name() + "/metrics");
      ObjectNode container = item.putObject("spec").put("nodeName", "local-node").putArray("containers").addObject()
          .put("name", pod.container());
      ObjectNode resources = container.putObject("resources");
      resources.putObject("requests").put("cpu", "250m").put("memory", "256Mi");
      resources.putObject("limits").put("cpu", "1").put("memory", "512Mi");
      item.putObject("status").put("phase", "Running").put("podIP", "127.0.0.1").put("qosClass", "Burstable")
          .putArray("containerStatuses").addObject().put("name", pod.container())
          .put("containerID", "containerd://" + pod.uid().replace("-", ""));
    }
    reply(exchange, "application/json", JSON.writeValueAsBytes(list));
  }

  private void metrics(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath(); // /demo/<pod>/metrics
    String name = path.substring("/demo/".length(), Math.max("/demo/".length(), path.lastIndexOf('/')));
    DemoWorkload.Pod pod = pods.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    if (pod == null) {
      reply(exchange, 404, "text/plain", ("no pod " + name + "\n").getBytes(StandardCharsets.UTF_8));
      return;
    }
    double s = (System.nanoTime() - started) / 1e9;
    int seed = Math.abs(pod.name().hashCode() % 7);
    String c = "{container=\"" + pod.container() + "\"} ";
    StringBuilder out = new StringBuilder();
    out.append("# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed in seconds.\n")
        .append("# TYPE container_cpu_usage_seconds_total counter\n")
        .append("container_cpu_usage_seconds_total").append(c).append(fmt((0.1 + 0.05 * seed) * s)).append('\n')
        .append("# TYPE container_memory_working_set_bytes gauge\n")
        .append("container_memory_working_set_bytes").append(c).append(fmt((180 + 20 * seed) * 1024.0 * 1024))
        .append('\n')
        .append("# TYPE container_cpu_cfs_periods_total counter\n")
        .append("container_cpu_cfs_periods_total").append(c).append(fmt(10 * s)).append('\n')
        .append("# TYPE container_cpu_cfs_throttled_periods_total counter\n")
        .append("container_cpu_cfs_throttled_periods_total").append(c).append(fmt(0.2 * seed * s)).append('\n');
    if (pod.workload().equals("cart")) {
      double ok = 20 * s;
      double failed = 0.4 * s;
      out.append("# HELP http_server_requests_seconds Duration of HTTP server request handling\n")
          .append("# TYPE http_server_requests_seconds histogram\n");
      timer(out, "200", "SUCCESS", ok);
      timer(out, "500", "SERVER_ERROR", failed);
    }
    reply(exchange, "text/plain; version=0.0.4", out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void timer(StringBuilder out, String status, String outcome, double count) {
    String labels = "method=\"POST\",outcome=\"" + outcome + "\",status=\"" + status + "\",uri=\"/api/cart/items\"";
    double cumulative = 0;
    double sum = 0;
    for (int b = 0; b < LE.length; b++) {
      cumulative += SHARE[b];
      sum += SHARE[b] * LE[b] * 0.7;
      out.append("http_server_requests_seconds_bucket{").append(labels).append(",le=\"").append(LE[b]).append("\"} ")
          .append(fmt(Math.floor(cumulative * count))).append('\n');
    }
    out.append("http_server_requests_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ")
        .append(fmt(Math.floor(count))).append('\n');
    out.append("http_server_requests_seconds_count{").append(labels).append("} ").append(fmt(Math.floor(count)))
        .append('\n');
    out.append("http_server_requests_seconds_sum{").append(labels).append("} ").append(fmt(sum * count)).append('\n');
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static void reply(HttpExchange exchange, String type, byte[] body) throws IOException {
    reply(exchange, 200, type, body);
  }

  private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
