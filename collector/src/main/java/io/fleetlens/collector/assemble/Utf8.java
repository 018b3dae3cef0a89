package io.fleetlens.collector.assemble;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Decodes message bytes as UTF-8, saying whether they were valid. */
final class Utf8 {

  record Decoded(String text, boolean valid) {
  }

  private Utf8() {
  }

  /**
   * Decodes {@code length} bytes; when {@code cut} the bytes end where a limit cut them, so a
   * character cut in half at the end is dropped rather than reported invalid.
   */
  static Decoded decode(byte[] bytes, int length, boolean cut) {
    int end = cut ? characterBoundary(bytes, length) : length;
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, end)).toString();
      return new Decoded(text, true);
    } catch (CharacterCodingException e) {
      return new Decoded(new String(bytes, 0, end, StandardCharsets.UTF_8), false);
    }
  }

  /** The largest length at most {@code length} that does not end inside a multi-byte character. */
  static int characterBoundary(byte[] bytes, int length) {
    int lead = length - 1;
    while (lead >= 0 && length - lead < 4 && (bytes[lead] & 0xC0) == 0x80) {
      lead--;
    }
    if (lead < 0) {
      return length;
    }
    int b = bytes[lead] & 0xFF;
    int size = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    return lead + size <= length ? length : lead;
  }
}
