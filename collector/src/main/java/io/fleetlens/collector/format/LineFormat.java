package io.fleetlens.collector.format;

import java.util.Optional;

import io.fleetlens.collector.files.Line;

/** A container log file format: how one line of the file becomes a fragment. */
public sealed interface LineFormat permits CriFormat, DockerJsonFormat {

  /** The fragment the line holds, or empty when the line is not in this format. */
  Optional<Fragment> parse(Line line);

  /** The metric tag for lines this format cannot read. */
  String badInputReason();

  /** Docker's json-file lines start with a brace; everything else is taken for CRI. */
  static LineFormat detect(Line first) {
    byte[] b = first.bytes();
    return b.length > 0 && b[0] == '{' ? new DockerJsonFormat() : new CriFormat();
  }
}
