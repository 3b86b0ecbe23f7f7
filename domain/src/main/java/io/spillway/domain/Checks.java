package io.spillway.domain;

import java.nio.charset.StandardCharsets;

/** Field checks shared by the self-validating records of the domain. */
public final class Checks {
  private Checks() {}

  /** A non-null string whose UTF-8 encoding has between min and max bytes and no control characters. */
  public static String text(String field, String value, int minBytes, int maxBytes) {
    if (value == null) {
      throw new InvalidFieldException(field, null, "required");
    }
    int bytes = utf8Length(value);
    if (bytes < minBytes || bytes > maxBytes) {
      throw new InvalidFieldException(
          field, value, minBytes + ".." + maxBytes + " UTF-8 bytes (was " + bytes + ")");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new InvalidFieldException(field, value, "no control characters (U+" + Integer.toHexString(c) + " at " + i + ")");
      }
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
        if (!paired) {
          throw new InvalidFieldException(field, value, "well-formed Unicode (lone surrogate at " + i + ")");
        }
        i++;
      }
    }
    return value;
  }

  public static long range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new InvalidFieldException(field, value, min + ".." + max);
    }
    return value;
  }

  public static int range(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new InvalidFieldException(field, value, min + ".." + max);
    }
    return value;
  }

  public static <T> T required(String field, T value) {
    if (value == null) {
      throw new InvalidFieldException(field, null, "required");
    }
    return value;
  }

  /** UTF-8 length without allocating (valid surrogate pairs count 4). */
  public static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
