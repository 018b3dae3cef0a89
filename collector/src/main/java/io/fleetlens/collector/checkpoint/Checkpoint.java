package io.fleetlens.collector.checkpoint;

/**
 * How far one file (by identity) has been read and stored: the offset, and the fingerprint of the
 * file's first bytes that tells it from a later file with the same inode. The path is for people.
 */
public record Checkpoint(String path, long offset, String fingerprint, int fingerprintLength) {
}
