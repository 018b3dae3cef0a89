package io.fleetlens.collector.files;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

import io.fleetlens.core.logs.ContainerRef;

/**
 * Which containers' logs to collect, by globs over {@code <namespace>/<pod>/<container>}: a
 * container is collected when it matches an include glob and no exclude glob ({@code kube-system/*\/*}
 * excludes a namespace, {@code *\/*\/istio-proxy} a sidecar everywhere).
 */
public final class FileFilter {

  private final List<PathMatcher> include;
  private final List<PathMatcher> exclude;

  public FileFilter(List<String> include, List<String> exclude) {
    this.include = include.stream().map(FileFilter::glob).toList();
    this.exclude = exclude.stream().map(FileFilter::glob).toList();
  }

  public static FileFilter all() {
    return new FileFilter(List.of("*/*/*"), List.of());
  }

  private static PathMatcher glob(String pattern) {
    return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
  }

  public boolean accepts(ContainerRef c) {
    Path name = Path.of(c.namespace(), c.pod(), c.name());
    return include.stream().anyMatch(m -> m.matches(name)) && exclude.stream().noneMatch(m -> m.matches(name));
  }
}
