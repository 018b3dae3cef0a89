package io.fleetlens.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;

/**
 * The layers under every app: the files of Debian's {@code libc6} package as this machine has it
 * installed ({@code dpkg -L}; all a jlinked JRE needs from the system), an {@code /etc/passwd} and
 * {@code /etc/group} with the unprivileged user, a world-writable {@code /tmp}; and a JRE made by
 * {@code jlink} from the building JDK with the modules the apps use.
 */
final class BaseLayers {

  static final List<String> DEBIAN_PACKAGES = List.of("libc6");
  static final List<String> JRE_MODULES = List.of("java.base", "java.desktop", "java.instrument", "java.logging",
      "java.management", "java.naming", "java.net.http", "java.scripting", "java.security.jgss",
      "java.security.sasl", "java.sql", "java.transaction.xa", "java.xml", "jdk.crypto.cryptoki", "jdk.jfr",
      "jdk.management", "jdk.net", "jdk.unsupported", "jdk.zipfs", "jdk.localedata");

  private final Path work;

  BaseLayers(Path work) throws IOException {
    this.work = Files.createDirectories(work);
  }

  FileEntriesLayer debian() throws IOException, InterruptedException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("debian-libc");
    for (String pkg : DEBIAN_PACKAGES) {
      for (String file : run(List.of("dpkg", "-L", pkg)).lines().toList()) {
        Path p = Path.of(file);
        if (file.startsWith("/usr/share/") || !Files.isRegularFile(p)) {
          continue; // documentation, folders; symlinks are followed below by their own names
        }
        layer.addEntry(p.toRealPath(), AbsoluteUnixPath.get(file), FilePermissions.fromOctalString("755"));
      }
    }
    Path etc = Files.createDirectories(work.resolve("etc"));
    Path passwd = Files.writeString(etc.resolve("passwd"),
        "root:x:0:0:root:/root:/sbin/nologin\nfleetlens:x:10001:10001:Fleetlens:/tmp:/sbin/nologin\n");
    Path group = Files.writeString(etc.resolve("group"), "root:x:0:\nfleetlens:x:10001:\n");
    layer.addEntry(passwd, AbsoluteUnixPath.get("/etc/passwd"), FilePermissions.fromOctalString("644"));
    layer.addEntry(group, AbsoluteUnixPath.get("/etc/group"), FilePermissions.fromOctalString("644"));
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    layer.addEntry(tmp, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"));
    return layer.build();
  }

  FileEntriesLayer jre() throws IOException, InterruptedException {
    Path jre = work.resolve("jre");
    if (!Files.isDirectory(jre)) {
      String jlink = Path.of(System.getProperty("java.home"), "bin", "jlink").toString();
      run(List.of(jlink, "--add-modules", String.join(",", JRE_MODULES), "--strip-debug", "--no-man-pages",
          "--no-header-files", "--compress", "zip-6", "--output", jre.toString()));
    }
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("jre");
    List<Path> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(jre)) {
      all.filter(Files::isRegularFile).sorted().forEach(files::add);
    }
    for (Path f : files) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
      layer.addEntry(f, AbsoluteUnixPath.get("/opt/java/" + jre.relativize(f)), FilePermissions.fromPosixFilePermissions(
          perms));
    }
    return layer.build();
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
