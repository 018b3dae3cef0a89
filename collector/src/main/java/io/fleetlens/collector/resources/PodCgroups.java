package io.fleetlens.collector.resources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the cgroup v2 folders of the node's containers, with either cgroup driver:
 * {@code kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/cri-containerd-<id>.scope}
 * (systemd; the uid's dashes are underscores there) or {@code kubepods/burstable/pod<uid>/<id>}
 * (cgroupfs). containerd, CRI-O ({@code crio-}) and Docker ({@code docker-}) scopes are recognised.
 */
public final class PodCgroups {

  /** A container's cgroup folder, by pod uid and runtime container id. */
  public record Found(String podUid, String containerId, Path dir) {
  }

  private static final Pattern POD = Pattern.compile("(?:.*-)?pod([0-9a-fA-F_-]{36})(?:\\.slice)?");
  private static final Pattern CONTAINER = Pattern.compile(
      "(?:cri-containerd-|crio-|docker-|containerd-)?([0-9a-f]{64})(?:\\.scope)?");

  private PodCgroups() {
  }

  public static List<Found> find(Path cgroupRoot) throws IOException {
    List<Found> found = new ArrayList<>();
    for (String top : new String[] {"kubepods.slice", "kubepods"}) {
      Path kubepods = cgroupRoot.resolve(top);
      if (!Files.isDirectory(kubepods)) {
        continue;
      }
      try (Stream<Path> dirs = Files.walk(kubepods, 3)) {
        for (Path pod : dirs.filter(Files::isDirectory).toList()) {
          Matcher uid = POD.matcher(pod.getFileName().toString());
          if (!uid.matches()) {
            continue;
          }
          try (Stream<Path> children = Files.list(pod)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
              Matcher id = CONTAINER.matcher(child.getFileName().toString());
              if (id.matches()) {
                found.add(new Found(uid.group(1).replace('_', '-'), id.group(1), child));
              }
            }
          }
        }
      }
    }
    return found;
  }
}
