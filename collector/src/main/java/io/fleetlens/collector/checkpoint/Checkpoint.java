package io.fleetlens.collector.checkpoint;

/** How far one file (by identity) has been read and stored; the path is for people reading it. */
public record Checkpoint(String path, long offset) {
}
