package io.fleetlens.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Pretends to be kubelet on a node running a small shop: writes CRI log files for three
 * namespaces and several pods, with info, warn and error lines, JSON lines, HTTP access-log lines
 * with status and duration, a Java stack trace now and then, and long lines the runtime split into
 * partials.
 */
final class DemoWorkload implements AutoCloseable {

  /** A simulated pod: its namespace, name, one container and uid. */
  record Pod(String namespace, String name, String container, String uid) {
    /** The Deployment or StatefulSet it belongs to, from Kubernetes' naming of its pods. */
    String workload() {
      return name.matches(".*-\\d+$") ? name.substring(0, name.lastIndexOf('-'))
          : name.substring(0, name.lastIndexOf('-', name.lastIndexOf('-') - 1));
    }
  }

  private static final List<String> PATHS = List.of("/api/cart", "/api/cart/items", "/api/checkout", "/api/products",
      "/healthz", "/api/orders/{id}");

  private static final java.time.format.DateTimeFormatter ACCESS_TIME = java.time.format.DateTimeFormatter
      .ofPattern("dd/MMM/yyyy:HH:mm:ss Z", java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

  private final Path root;
  private final List<Pod> pods;
  private final Random random = new Random(42);
  private final Thread thread = new Thread(this::run, "demo-workload");
  private volatile boolean running;
  private long sequence;

  DemoWorkload(Path root) {
    this.root = root;
    this.pods = List.of(
        pod("shop", "frontend-7d9f8-x2kq", "nginx"),
        pod("shop", "cart-5c6b7-p9wz", "app"),
        pod("shop", "cart-5c6b7-l4rt", "app"),
        pod("payments", "payments-api-6f5d4-q8vn", "server"),
        pod("payments", "ledger-0", "ledger"),
        pod("platform", "ingress-nginx-controller-8b7c6-zt5m", "controller"));
  }

  private static Pod pod(String namespace, String name, String container) {
    return new Pod(namespace, name, container, UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
  }

  List<Pod> pods() {
    return pods;
  }

  DemoWorkload start() {
    running = true;
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  private void run() {
    while (running) {
      try {
        writeOneRound();
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void writeOneRound() {
    for (Pod pod : pods) {
      switch (pod.container()) {
        case "nginx", "controller" -> accessLog(pod);
        case "app" -> appLog(pod);
        case "server" -> jsonLog(pod);
        default -> plainLog(pod);
      }
    }
  }

  private void accessLog(Pod pod) {
    int status = weighted(new int[] {200, 200, 200, 200, 201, 304, 404, 500, 502});
    String path = PATHS.get(random.nextInt(PATHS.size()));
    double seconds = 0.002 + random.nextDouble() * (status >= 500 ? 2.0 : 0.3);
    int bytes = 200 + random.nextInt(5000);
    // ingress-nginx's format: combined, then request length, request time, upstream details and request id
    line(pod, "stdout", String.format(java.util.Locale.ROOT, "10.244.%d.%d - - [%s] \"GET %s HTTP/1.1\" %d %d \"-\" "
        + "\"Mozilla/5.0\" %d %.3f [shop-cart-8080] [] 10.244.0.%d:8080 %d %.3f %d %016x", random.nextInt(4),
        random.nextInt(250), ACCESS_TIME.format(Instant.now()), path, status, bytes, 300 + random.nextInt(400), seconds,
        random.nextInt(250), bytes, seconds, status, random.nextLong()));
  }

  private void appLog(Pod pod) {
    int roll = random.nextInt(100);
    if (roll < 70) {
      line(pod, "stdout", "INFO  [http-nio-8080-exec-" + random.nextInt(10) + "] c.e.cart.CartService - added item sku-"
          + random.nextInt(999) + " to cart " + (++sequence));
    } else if (roll < 90) {
      line(pod, "stdout", "WARN  [http-nio-8080-exec-3] c.e.cart.InventoryClient - inventory answered slowly: "
          + (300 + random.nextInt(900)) + " ms");
    } else if (roll < 97) {
      line(pod, "stderr", "ERROR [http-nio-8080-exec-7] c.e.cart.CheckoutController - checkout failed for cart "
          + sequence);
      for (String frame : List.of(
          "java.lang.IllegalStateException: payment service answered 503",
          "\tat com.example.cart.PaymentClient.charge(PaymentClient.java:88)",
          "\tat com.example.cart.CheckoutService.checkout(CheckoutService.java:41)",
          "\tat com.example.cart.CheckoutController.post(CheckoutController.java:27)",
          "Caused by: java.net.SocketTimeoutException: Read timed out",
          "\t... 3 more")) {
        line(pod, "stderr", frame);
      }
    } else {
      String payload = "x".repeat(20_000);
      partial(pod, "stdout", "DEBUG cart snapshot " + payload.substring(0, 16_000));
      line(pod, "stdout", payload.substring(16_000) + " (end of snapshot)");
    }
  }

  private void jsonLog(Pod pod) {
    boolean failed = random.nextInt(20) == 0;
    line(pod, failed ? "stderr" : "stdout", String.format(java.util.Locale.ROOT,
        "{\"time\":\"%s\",\"level\":\"%s\",\"msg\":\"%s\",\"method\":\"POST\",\"path\":\"/v1/payments\","
            + "\"status\":%d,\"duration_ms\":%.1f,\"amount\":%d,\"currency\":\"EUR\",\"trace_id\":\"%016x\"}",
        Instant.now(), failed ? "error" : "info", failed ? "card declined" : "payment authorised", failed ? 502 : 201,
        20 + random.nextDouble() * (failed ? 900 : 120), random.nextInt(50_000), random.nextLong()));
  }

  private void plainLog(Pod pod) {
    line(pod, "stdout", (random.nextInt(10) == 0 ? "WARN" : "INFO") + " ledger: committed batch " + (++sequence)
        + " with " + random.nextInt(200) + " entries");
  }

  private int weighted(int[] values) {
    return values[random.nextInt(values.length)];
  }

  private void line(Pod pod, String stream, String message) {
    write(pod, Instant.now() + " " + stream + " F " + message + "\n");
  }

  private void partial(Pod pod, String stream, String message) {
    write(pod, Instant.now() + " " + stream + " P " + message + "\n");
  }

  private void write(Pod pod, String text) {
    Path file = root.resolve(pod.namespace() + "_" + pod.name() + "_" + pod.uid()).resolve(pod.container())
        .resolve("0.log");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5_000);
  }
}
