package io.fleetlens.runtime;

import java.nio.file.Path;

/** The command line every app takes: {@code [--config <file.yaml>]}. */
public final class CommandLine {

  private CommandLine() {
  }

  /** The file after {@code --config}, or null when none was given. */
  public static Path configFile(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config")) {
        if (i + 1 == args.length) {
          throw new IllegalArgumentException("--config needs a file");
        }
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return Path.of(args[i].substring("--config=".length()));
      }
    }
    return null;
  }
}
