package io.fleetlens.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One run at a time owns a data folder: it holds an OS lock on {@code run.lock} there, with its pid
 * written inside for the next run to name. The kernel lets go of the lock when the process ends,
 * however it ends, so a crashed run never leaves the folder locked.
 */
final class DataDirLock implements AutoCloseable {

  /** The folder is held by another live run, whose pid is given when it wrote one. */
  static final class HeldException extends Exception {
    private static final long serialVersionUID = 1L;

    HeldException(Path dir, String pid) {
      super("Another Fleetlens run" + (pid.isEmpty() ? "" : " (pid " + pid + ")") + " is using " + dir
          + ": stop it first, or give this run a folder of its own with --data-dir DIR");
    }
  }

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DataDirLock acquire(Path dir) throws IOException, HeldException {
    Files.createDirectories(dir);
    Path file = dir.resolve("run.lock");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new HeldException(dir, Files.readString(file, StandardCharsets.US_ASCII).strip());
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    channel.force(false);
    return new DataDirLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
