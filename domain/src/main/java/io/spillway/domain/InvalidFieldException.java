package io.spillway.domain;

/** Rejects a value that breaks a documented limit, naming the field, the value and the limit. */
public final class InvalidFieldException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private static final int SHOWN_VALUE_CHARS = 80;

  private final String field;
  private final String value;
  private final String limit;

  public InvalidFieldException(String field, Object value, String limit) {
    super(field + ": " + shown(value) + " breaks the limit: " + limit);
    this.field = field;
    this.value = shown(value);
    this.limit = limit;
  }

  public String field() {
    return field;
  }

  public String value() {
    return value;
  }

  public String limit() {
    return limit;
  }

  private static String shown(Object value) {
    if (value == null) {
      return "null";
    }
    String text = value instanceof CharSequence ? "\"" + value + "\"" : String.valueOf(value);
    return text.length() <= SHOWN_VALUE_CHARS ? text : text.substring(0, SHOWN_VALUE_CHARS) + "…";
  }
}
