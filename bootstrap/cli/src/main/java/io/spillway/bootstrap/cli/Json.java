package io.spillway.bootstrap.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;

/** One JSON object per command, keys in insertion order. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  static String of(Map<String, ?> fields) {
    try {
      return MAPPER.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Rounds to a few decimals for readable output; infinities become null. */
  static Object num(double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return null;
    }
    double scale = Math.pow(10, decimals);
    return Math.round(v * scale) / scale;
  }
}
