package io.fleetlens.collector.scrape;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

/**
 * An endpoint to scrape and the labels its samples get: {@code job}, {@code instance} (host:port)
 * and whatever else identifies it (cluster, node, namespace, pod, container).
 */
public record ScrapeTarget(URI url, Map<String, String> labels) {

  public ScrapeTarget {
    labels = new TreeMap<>(labels);
  }

  /** A target from configuration: {@code <job>=<url>}. */
  public static ScrapeTarget parse(String spec, Map<String, String> common) {
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("scrape target must be <job>=<url>: " + spec);
    }
    URI url = URI.create(spec.substring(eq + 1).trim());
    Map<String, String> labels = new TreeMap<>(common);
    labels.put("job", spec.substring(0, eq).trim());
    labels.put("instance", url.getHost() + ":" + url.getPort());
    return new ScrapeTarget(url, labels);
  }
}
