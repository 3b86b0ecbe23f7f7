package io.spillway.application.port.out;

/** What a conditional put of a chunk did. Each outcome carries the write units it was charged. */
public sealed interface PutOutcome {
  /** Stored now. */
  record Written(double writeUnits) implements PutOutcome {}

  /** An item with this identity was already stored: a redelivery or retry, counted as success. */
  record AlreadyPresent(double writeUnits) implements PutOutcome {}

  /** Refused for lack of capacity; nothing was stored; try again later. */
  record Throttled(String reason) implements PutOutcome {}

  default boolean isDurable() {
    return !(this instanceof Throttled);
  }
}
