package io.spillway.application.port.out;

/** What a conditional put of a chunk did. Each outcome carries the write units it was charged. */
public sealed interface PutOutcome {
  /** Stored now. */
  record Written(double writeUnits) implements PutOutcome {}

  /** An item with this identity was already stored: a redelivery or retry, counted as success. */
  record AlreadyPresent(double writeUnits) implements PutOutcome {}

  /** Refused for lack of capacity; nothing was stored; try again later. */
  record Throttled(String reason) implements PutOutcome {}

  /**
   * The store refused this item for good (it breaks a limit the store enforces that the checks
   * before the put did not catch); retrying cannot help, so the record is dead-lettered.
   */
  record Refused(String reason, String detail) implements PutOutcome {}

  default boolean isDurable() {
    return this instanceof Written || this instanceof AlreadyPresent;
  }
}
