package io.spillway.domain.capacity;

import io.spillway.domain.Checks;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.event.Event;

/**
 * The baseline Spillway replaces: one DynamoDB item per event, keyed by job and sequence, with the
 * envelope fields as attributes. Used to price what aggregation saves.
 *
 * <pre>
 *   pk "J#" jobId · sk 20-digit sequence · id · t (epoch ms, N) · ty · g · v (N) · p (B, payload)
 * </pre>
 */
public final class ItemPerEvent {
  private ItemPerEvent() {}

  /** Bytes of the event's item, attribute names included. */
  public static int itemSize(Event e) {
    return 2 + 2 + Checks.utf8Length(e.jobId().value())
        + 2 + 20
        + 2 + Checks.utf8Length(e.eventId())
        + 1 + 8
        + 2 + Checks.utf8Length(e.type())
        + 1 + Checks.utf8Length(e.groupKey())
        + 1 + 3
        + 1 + e.payload().length;
  }

  /** Write units one put of the event's item costs. */
  public static int writeUnits(Event e) {
    return StoredItemLayout.writeUnits(itemSize(e));
  }
}
