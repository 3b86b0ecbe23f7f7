package io.spillway.archfixture.domain;

/** A well-behaved domain value: depends on nothing but the JDK. */
public record Tally(String key, long count) {
  public Tally {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
  }
}
