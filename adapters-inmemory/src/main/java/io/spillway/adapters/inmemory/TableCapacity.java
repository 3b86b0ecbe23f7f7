package io.spillway.adapters.inmemory;

import io.spillway.domain.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * DynamoDB's write capacity as documented: provisioned write units per second, unused capacity
 * saved for up to 300 seconds of burst, and a cap of 1,000 write units per second on any one
 * partition key, whatever the table has. Throttled requests consume nothing. UNLIMITED switches
 * the model off (benchmarks that measure Spillway's own code).
 */
public final class TableCapacity {
  /** How capacity is granted. */
  public enum Mode {
    UNLIMITED,
    PROVISIONED
  }

  /** Capacity settings; {@code initialBurstSeconds} is how much saved capacity a fresh table starts with. */
  public record Settings(Mode mode, double writeUnitsPerSecond, Duration burstWindow, double partitionWriteUnitsPerSecond, double initialBurstSeconds) {
    public Settings {
      if (mode == Mode.PROVISIONED && !(writeUnitsPerSecond > 0)) {
        throw new InvalidFieldException("table.writeUnitsPerSecond", writeUnitsPerSecond, "> 0 in provisioned mode");
      }
      if (!(partitionWriteUnitsPerSecond > 0)) {
        throw new InvalidFieldException("table.partitionWriteUnitsPerSecond", partitionWriteUnitsPerSecond, "> 0");
      }
    }

    public static Settings unlimited() {
      return new Settings(Mode.UNLIMITED, 0, Duration.ZERO, Double.MAX_VALUE, 0);
    }

    public static Settings provisioned(double writeUnitsPerSecond) {
      return new Settings(Mode.PROVISIONED, writeUnitsPerSecond, Duration.ofSeconds(300), 1_000, 0);
    }
  }

  private final Settings settings;
  private double rate;
  private double tokens;
  private Instant last;
  private long windowSecond = Long.MIN_VALUE;
  private final Map<String, Double> partitionUse = new HashMap<>();
  private double consumed;
  private long throttled;

  public TableCapacity(Settings settings, Instant start) {
    this.settings = settings;
    this.rate = settings.writeUnitsPerSecond();
    this.tokens = rate * (1 + settings.initialBurstSeconds());
    this.last = start;
  }

  /** Charges the units if the table and the key's partition allow; false (nothing charged) otherwise. */
  public synchronized boolean tryConsume(String partitionKey, double writeUnits, Instant now) {
    // callers on several threads may read the clock out of order: a window never goes backwards
    long second = Math.max(now.getEpochSecond(), windowSecond);
    if (second != windowSecond) {
      windowSecond = second;
      partitionUse.clear();
    }
    double used = partitionUse.getOrDefault(partitionKey, 0.0);
    if (used + writeUnits > settings.partitionWriteUnitsPerSecond()) {
      throttled++;
      return false;
    }
    if (settings.mode() == Mode.PROVISIONED) {
      refill(now);
      if (tokens < writeUnits) {
        throttled++;
        return false;
      }
      tokens -= writeUnits;
    }
    partitionUse.put(partitionKey, used + writeUnits);
    consumed += writeUnits;
    return true;
  }

  /** Charges without a capacity check (a failed conditional write is billed like a write). */
  public synchronized void charge(double writeUnits) {
    consumed += writeUnits;
  }

  /** Changes the provisioned rate (auto-scaling, a capacity cut). Saved burst is kept. */
  public synchronized void setWriteUnitsPerSecond(double writeUnitsPerSecond, Instant now) {
    refill(now);
    this.rate = writeUnitsPerSecond;
  }

  public synchronized double writeUnitsPerSecond() {
    return rate;
  }

  public synchronized double consumed() {
    return consumed;
  }

  public synchronized long throttled() {
    return throttled;
  }

  private void refill(Instant now) {
    double seconds = Duration.between(last, now).toNanos() / 1e9;
    if (seconds > 0) {
      double cap = rate * Math.max(1.0, settings.burstWindow().toSeconds());
      tokens = Math.min(cap, tokens + seconds * rate);
      last = now;
    }
  }
}
