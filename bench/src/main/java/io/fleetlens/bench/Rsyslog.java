package io.fleetlens.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * rsyslogd reading the same CRI files with imfile and sending each line as it is to Kafka with
 * omkafka (lz4, idempotent producer, so acks from all in-sync replicas, as the collector's). Our own
 * rsyslogd with its own config, work folder and pid file; the system's rsyslog is not used.
 */
final class Rsyslog {

  static final String INSTALL_HINT = "install the Debian packages rsyslog and rsyslog-kafka "
      + "(apt-get install rsyslog rsyslog-kafka); the bench starts its own rsyslogd, the system service is not needed";

  private final Path rsyslogd;

  private Rsyslog(Path rsyslogd) {
    this.rsyslogd = rsyslogd;
  }

  /**
   * rsyslogd that accepts the bench's config (checked with {@code -N1}, which connects to nothing),
   * or what is missing and how to install it.
   */
  static Rsyslog find(Path scratch) throws IOException, InterruptedException {
    Path rsyslogd = onPath().orElseThrow(() -> new MissingException("rsyslogd not found: " + INSTALL_HINT));
    Path config = Files.writeString(scratch.resolve("rsyslog-check.conf"),
        config(scratch, scratch, "127.0.0.1:9092", "check"));
    Process check = new ProcessBuilder(rsyslogd.toString(), "-N1", "-f", config.toString())
        .redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (check.waitFor() != 0) {
      throw new MissingException(output.contains("omkafka")
          ? "rsyslog's Kafka output omkafka is missing: " + INSTALL_HINT
          : "rsyslogd cannot load imfile and omkafka:\n" + output.strip());
    }
    return new Rsyslog(rsyslogd);
  }

  private static Optional<Path> onPath() {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/sbin", "/sbin"));
    return dirs.stream().filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, "rsyslogd"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** Writes the config under {@code dir} and returns the command that runs rsyslogd in the foreground. */
  List<String> command(Path dir, Path pods, String kafka, String topic) throws IOException {
    Path work = Files.createDirectories(dir.resolve("work"));
    Path config = Files.writeString(dir.resolve("rsyslog.conf"), config(work, pods, kafka, topic));
    return List.of(rsyslogd.toString(), "-n", "-f", config.toString(), "-i", dir.resolve("rsyslogd.pid").toString());
  }

  private static String config(Path work, Path pods, String kafka, String topic) {
    return String.join("\n",
        "# Written by the Fleetlens collector bench. No imuxsock or imklog: no system logging.",
        "global(workDirectory=\"" + work + "\")",
        "module(load=\"imfile\")",
        "module(load=\"omkafka\")",
        "template(name=\"rawLine\" type=\"string\" string=\"%msg%\")",
        "ruleset(name=\"toKafka\") {",
        "  action(type=\"omkafka\" broker=[\"" + kafka + "\"] topic=\"" + topic + "\" template=\"rawLine\"",
        "         partitions.auto=\"on\"",
        "         confParam=[\"compression.codec=lz4\", \"enable.idempotence=true\"])",
        "}",
        "input(type=\"imfile\" file=\"" + pods + "/*/*/*.log\" tag=\"pods\" ruleset=\"toKafka\")",
        "# rsyslogd's own messages",
        "action(type=\"omfile\" file=\"" + work.resolve("rsyslogd.log") + "\")",
        "");
  }

  /** rsyslogd or one of its modules is not installed. */
  static final class MissingException extends RuntimeException {
    MissingException(String message) {
      super(message);
    }
  }
}
