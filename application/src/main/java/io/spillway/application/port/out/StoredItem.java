package io.spillway.application.port.out;

import io.spillway.domain.Checks;

/**
 * One chunk item as the store holds it — its keys and its record, neither parsed nor verified —
 * for checks that must name a damaged item by its key (an item that does not parse has no chunk id).
 *
 * @param partitionKey the item's {@code pk}, {@code J#<job>#<bucket>}
 * @param sortKey the item's {@code sk}, {@code C#<ddd>#<group>#<sequence>}
 * @param record the chunk record's bytes, as stored
 */
public record StoredItem(String partitionKey, String sortKey, byte[] record) {
  public StoredItem {
    Checks.required("storedItem.partitionKey", partitionKey);
    Checks.required("storedItem.sortKey", sortKey);
    Checks.required("storedItem.record", record);
  }

  /** The item's key as operators see it: {@code pk/sk}. */
  public String key() {
    return partitionKey + " / " + sortKey;
  }
}
