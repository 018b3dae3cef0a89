package io.fleetlens.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonFieldsTest {

  @Test
  void flattensNestedObjectsToDottedKeysAndScalarsToText() {
    assertThat(JsonFields.of(" {\"msg\":\"paid\",\"status\":200,\"ok\":true,\"http\":{\"path\":\"/pay\"},"
        + "\"tags\":[\"a\",1],\"none\":null}\n"))
        .containsExactly(
            org.assertj.core.api.Assertions.entry("msg", "paid"),
            org.assertj.core.api.Assertions.entry("status", "200"),
            org.assertj.core.api.Assertions.entry("ok", "true"),
            org.assertj.core.api.Assertions.entry("http.path", "/pay"),
            org.assertj.core.api.Assertions.entry("tags", "[\"a\",1]"));
  }

  @Test
  void otherMessagesHaveNoFields() {
    assertThat(JsonFields.of("plain text")).isEmpty();
    assertThat(JsonFields.of("{broken json")).isEmpty();
    assertThat(JsonFields.of("{\"a\":1} trailing words")).isEmpty();
    assertThat(JsonFields.of("[1,2]")).isEmpty();
  }

  @Test
  void isBoundedInKeysDepthAndValueLength() {
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i < 500; i++) {
      many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
    }
    assertThat(JsonFields.of(many.append("}").toString())).hasSize(JsonFields.MAX_FIELDS);
    assertThat(JsonFields.of("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}")).containsOnlyKeys("a.b.c.d");
    assertThat(JsonFields.of("{\"big\":\"" + "x".repeat(10_000) + "\"}").get("big")).hasSize(JsonFields.MAX_VALUE_CHARS);
  }
}
