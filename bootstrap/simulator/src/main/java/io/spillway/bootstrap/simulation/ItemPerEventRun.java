package io.spillway.bootstrap.simulation;

import io.spillway.domain.chunk.StoredItemLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The baseline the seed started from: each job writes one item per event straight to the table,
 * BatchWriteItem of 25 items from a few threads, retrying what the table leaves unprocessed; a job
 * holds at most {@code bufferEvents} unwritten events before its computation stalls. The job's data
 * is available when its last item is written. The table is the same {@code TableCapacity} model
 * the other architectures meet, per-partition limit included: every item of a job shares its
 * partition key ({@code J#jobId}, sorted by sequence, as {@code domain.capacity.ItemPerEvent} lays
 * it out), so a job writes at most 1,000 one-unit items a second however large the table.
 */
final class ItemPerEventRun extends ArchitectureRun {
  /** Key and attribute names around the event's bytes (see {@code domain.capacity.ItemPerEvent}). */
  static final int ITEM_OVERHEAD_BYTES = 70;
  private static final int BATCH = 25;

  private long produced;
  private long stored;

  ItemPerEventRun(Scenario scenario, List<JobSchedule.Planned> schedule, Instant start) {
    super("item-per-event", scenario, schedule, start);
  }

  @Override
  EventLoop.Actor jobActor(JobSchedule.Planned p) {
    int itemBytes = p.spec().eventBytes + ITEM_OVERHEAD_BYTES;
    int unitsPerItem = StoredItemLayout.writeUnits(itemBytes);
    double requestsPerSecond = scenario.itemPerEvent.writerThreadsPerJob * scenario.itemPerEvent.requestsPerSecondPerThread;
    String partitionKey = "J#" + p.id();
    return new EventLoop.Actor() {
      Instant last;
      double generated;
      long written;
      double requestCredit;

      @Override
      public Instant act(Instant now) {
        if (last == null) {
          last = now;
        }
        double seconds = Duration.between(last, now).toNanos() / 1e9;
        last = now;
        long before = (long) generated;
        double pending = generated - written;
        if (pending < scenario.itemPerEvent.bufferEvents) {
          generated = Math.min(p.events(), generated + seconds * p.spec().eventsPerSecond);
        } else {
          result.producerStalledSeconds += seconds;
        }
        produced += (long) generated - before;
        requestCredit = Math.min(requestCredit + seconds * requestsPerSecond, requestsPerSecond);
        long ready = (long) generated - written;
        if (scenario.cohorts() && ready > 0 && requestCredit >= 1) {
          // seed scale: the second's BatchWriteItem calls as one charge (the same grants; the table sees one request)
          long ask = Math.min(ready, (long) Math.floor(requestCredit) * BATCH);
          int granted = table.tryConsumeItems(partitionKey, (int) Math.min(ask, Integer.MAX_VALUE), unitsPerItem, now);
          requestCredit -= granted < ask ? Math.floor(granted / (double) BATCH) + 1 : Math.ceil(granted / (double) BATCH);
          written += granted;
          ready = 0;
          stored += granted;
          result.storedBytes += (long) granted * itemBytes;
        }
        while (ready > 0 && requestCredit >= 1) {
          int ask = (int) Math.min(BATCH, ready);
          int granted = table.tryConsumeItems(partitionKey, ask, unitsPerItem, now);
          requestCredit--;
          written += granted;
          ready -= granted;
          stored += granted;
          result.storedBytes += (long) granted * itemBytes;
          if (granted < ask) {
            break; // unprocessed items: back off until the next tick
          }
        }
        if (written >= p.events()) {
          result.jobsCompleted++;
          result.availabilitySeconds.add(Math.max(0, Duration.between(p.naturalEnd(), now).toMillis() / 1000.0));
          return null;
        }
        return now.plus(TICK);
      }
    };
  }

  @Override
  TimelineRow row(long minute, double writeUnitsPerSecond, double capacity) {
    return new TimelineRow(minute, 0, writeUnitsPerSecond, capacity, 0, 0, 0, result.jobsCompleted, "OK");
  }

  @Override
  void finish() {
    result.eventsProduced = produced;
    result.eventsStored = stored;
    result.eventsInFlight = produced - stored;
    result.chunksStored = stored;
    result.wcuConsumed = table.consumed();
    result.throttledRequests = table.throttled();
  }
}
