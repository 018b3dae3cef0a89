package io.fleetlens.storage.elasticsearch;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import co.elastic.clients.elasticsearch._types.FieldValue;

import io.fleetlens.core.logs.InvalidQueryException;

/**
 * The position after the last hit of a page, as its sort values (timestamp in nanoseconds, then
 * event id), in an opaque URL-safe string. Every document has a distinct pair, so pages neither
 * repeat nor skip a document while new ones are indexed.
 */
record SearchCursor(long timestampNanos, String eventId) {

  String encode() {
    String plain = timestampNanos + ":" + eventId;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  List<FieldValue> searchAfter() {
    return List.of(FieldValue.of(timestampNanos), FieldValue.of(eventId));
  }

  static SearchCursor decode(String cursor) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int colon = plain.indexOf(':');
      return new SearchCursor(Long.parseLong(plain.substring(0, colon)), plain.substring(colon + 1));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new InvalidQueryException("cursor", "not a cursor this API handed out");
    }
  }

  static SearchCursor of(List<FieldValue> sortValues) {
    return new SearchCursor(sortValues.get(0).longValue(), sortValues.get(1).stringValue());
  }
}
