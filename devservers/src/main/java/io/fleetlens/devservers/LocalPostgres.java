package io.fleetlens.devservers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from the machine's installation (Debian's {@code postgresql} package:
 * {@code /usr/lib/postgresql/<version>/bin}), run as a child process on loopback with a fresh data
 * folder, as an unprivileged uid when this JVM is root (PostgreSQL refuses root). The superuser is
 * {@value #USER}, trusted without a password on loopback; durability is traded for speed
 * ({@code fsync=off}), as befits tests.
 */
public final class LocalPostgres implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
  public static final String USER = "fleetlens";

  private final Path bin;
  private final Path dataDir;
  private final int port = FreePorts.next();
  private final Thread reaper = new Thread(this::kill, "postgres-reaper");
  private Process process;

  private LocalPostgres(Path bin, Path dataDir) {
    this.bin = bin;
    this.dataDir = dataDir;
  }

  /** The newest installed PostgreSQL's programs, or empty when none is installed. */
  public static java.util.Optional<Path> installation() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return java.util.Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres")))
          .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  /** Creates a fresh cluster under {@code workDir} and starts it. */
  public static LocalPostgres start(Path workDir) throws IOException, InterruptedException {
    Path bin = installation().orElseThrow(() -> new IllegalStateException(
        "PostgreSQL is not installed: apt-get install postgresql (.ci/run installs it)"));
    Path base = Unprivileged.reachable(workDir, "fleetlens-postgres");
    Path dataDir = base.resolve("data-" + System.nanoTime());
    Files.createDirectories(dataDir);
    Unprivileged.own(base);
    LocalPostgres postgres = new LocalPostgres(bin, dataDir);
    postgres.initdb();
    postgres.launch();
    return postgres;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  private void initdb() throws IOException, InterruptedException {
    Process init = new ProcessBuilder(Unprivileged.command(List.of(bin.resolve("initdb").toString(), "-D",
        dataDir.toString(), "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-instructions")))
        .redirectErrorStream(true).redirectOutput(dataDir.getParent().resolve("initdb.log").toFile()).start();
    if (init.waitFor() != 0) {
      throw new IOException("initdb failed; see " + dataDir.getParent().resolve("initdb.log"));
    }
  }

  private void launch() throws IOException, InterruptedException {
    process = BoundProcesses.start(new ProcessBuilder(bin.resolve("postgres").toString(), "-D",
        dataDir.toString(), "-p", Integer.toString(port), "-k", dataDir.toString(), "-c", "listen_addresses=127.0.0.1",
        "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200")
        .redirectErrorStream(true).redirectOutput(dataDir.getParent().resolve("postgres.log").toFile()), true);
    Runtime.getRuntime().addShutdownHook(reaper);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      if (!process.isAlive()) {
        throw new IOException("PostgreSQL stopped at start; see " + dataDir.getParent().resolve("postgres.log"));
      }
      Process ready = new ProcessBuilder(bin.resolve("pg_isready").toString(), "-h", "127.0.0.1", "-p",
          Integer.toString(port), "-U", USER).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (ready.waitFor() == 0) {
        break;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IOException("PostgreSQL not ready after 60 s; see " + dataDir.getParent().resolve("postgres.log"));
      }
      Thread.sleep(200);
    }
    LOG.info("PostgreSQL ready on 127.0.0.1:{}", port);
  }

  private void kill() {
    Process running = process;
    if (running != null) {
      running.destroyForcibly();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.destroy(); // SIGTERM: PostgreSQL's smart shutdown
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      process = null;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }
}
