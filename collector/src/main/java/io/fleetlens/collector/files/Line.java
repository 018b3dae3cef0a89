package io.fleetlens.collector.files;

/**
 * One line of a file without its newline: its bytes (cut at the reader's limit when
 * {@code truncated}), and where it starts and where the next line starts.
 */
public record Line(byte[] bytes, long start, long end, boolean truncated) {
}
