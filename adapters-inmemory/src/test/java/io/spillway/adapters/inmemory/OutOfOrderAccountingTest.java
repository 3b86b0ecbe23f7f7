package io.spillway.adapters.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.application.contract.ContractFixtures;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.domain.chunk.Chunk;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * The simulator's actors run ahead of each other in turns (a paced consumer sleeps through a batch
 * of writes), so the table and the stream see calls out of time order. Charged at each call's own
 * time, the throttles come out as they would have had every call been made in time order.
 */
class OutOfOrderAccountingTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * A KCL-like writer: 400-unit chunks paced at 1,500 units a second whatever the answer (a refused
   * chunk is offered again as the next put), every writer writing every job's four buckets. The pace
   * does not follow the answers, so both runs below make the very same timed calls, only in another
   * order; with feedback (a governor halving on a throttle) the runs would differ by who is refused
   * first, not by how the table counts.
   */
  static final class Writer {
    final int id;
    Instant at;
    long put;

    Writer(int id, Instant at) {
      this.id = id;
      this.at = at;
    }

    void put(TableCapacity table) {
      String key = "J#job" + (put % 4) + "#" + ((put * 7 / 4 + id * 3) % 4);
      table.tryConsume(key, 400, at);
      put++;
      at = at.plusNanos(Math.round(400 / 1_500.0 * 1e9));
    }
  }

  /** Every call in time order: the writer whose next call is earliest calls next. */
  static TableCapacity inTimeOrder(TableCapacity table, int writers, Instant end) {
    return inTurns(table, writers, 1, end);
  }

  /** As the event loop runs them: the writer whose turn starts earliest makes a whole batch of puts, its time running on. */
  static TableCapacity inTurns(TableCapacity table, int writers, int putsPerTurn, Instant end) {
    PriorityQueue<Writer> queue = new PriorityQueue<>((a, b) -> a.at.equals(b.at) ? Integer.compare(a.id, b.id) : a.at.compareTo(b.at));
    for (int w = 0; w < writers; w++) queue.add(new Writer(w, T.plusMillis(37L * w)));
    while (queue.peek().at.isBefore(end)) {
      Writer w = queue.poll();
      for (int i = 0; i < putsPerTurn && w.at.isBefore(end); i++) {
        w.put(table);
      }
      queue.add(w);
    }
    return table;
  }

  static TableCapacity keysOnly() {
    return new TableCapacity(new TableCapacity.Settings(TableCapacity.Mode.UNLIMITED, 0, Duration.ZERO, 1_000, 0), T);
  }

  @Test
  void writersWhoseTurnsRunAheadMeetTheKeysLimitExactlyAsInTimeOrder() {
    Instant end = T.plus(Duration.ofMinutes(10));
    // 12 writers at 1,500 units a second over 16 keys: 2.8 puts of 400 units per key-second, 2 fit
    TableCapacity ordered = inTimeOrder(keysOnly(), 12, end);
    TableCapacity turns = inTurns(keysOnly(), 12, 25, end);

    assertThat(ordered.throttled()).as("the keys' limit binds in time order too").isPositive();
    // 25 puts at 1,500 units a second: each turn runs ~7 s ahead of the other writers
    assertThat(turns.throttled()).as("equal-sized puts: a key-second refuses as many whatever their order").isEqualTo(ordered.throttled());
    assertThat(turns.consumed()).isEqualTo(ordered.consumed());
  }

  @Test
  void writersWhoseTurnsRunAheadMeetAProvisionedTableAsInTimeOrder() {
    Instant end = T.plus(Duration.ofMinutes(10));
    // 18,000 units a second asked of 15,000: the table binds as well as the keys
    TableCapacity ordered = inTimeOrder(new TableCapacity(TableCapacity.Settings.provisioned(15_000), T), 12, end);
    TableCapacity turns = inTurns(new TableCapacity(TableCapacity.Settings.provisioned(15_000), T), 12, 25, end);

    assertThat(ordered.throttled()).isPositive();
    assertThat((double) turns.throttled()).as("throttles in turns (%s) against in time order (%s)", turns.throttled(), ordered.throttled())
        .isCloseTo(ordered.throttled(), org.assertj.core.data.Percentage.withPercentage(2));
    assertThat(turns.consumed()).isCloseTo(ordered.consumed(), org.assertj.core.data.Percentage.withPercentage(1));
  }

  @Test
  void aLatePutIsChargedToItsOwnSecondOnItsKey() {
    TableCapacity table = new TableCapacity(new TableCapacity.Settings(TableCapacity.Mode.UNLIMITED, 0, Duration.ZERO, 1_000, 0), T);

    assertThat(table.tryConsume("J#a#0", 1_000, T.plusSeconds(10))).isTrue();
    assertThat(table.tryConsume("J#a#0", 1_000, T.plusSeconds(3))).as("second 3 of the key is empty").isTrue();
    assertThat(table.tryConsume("J#a#0", 1, T.plusSeconds(3).plusMillis(500))).as("and now full").isFalse();
    assertThat(table.tryConsume("J#a#0", 1, T.plusSeconds(10).plusMillis(999))).isFalse();
    assertThat(table.tryConsume("J#a#0", 1_000, T.plusSeconds(11))).isTrue();
  }

  @Test
  void aLatePutTakesTheTokensThereWereAtItsTimeAndNeverThoseALaterGrantTook() {
    TableCapacity table = new TableCapacity(TableCapacity.Settings.provisioned(100), T);

    assertThat(table.tryConsume("J#a#0", 100, T)).isTrue();
    // 10 s later 1,000 units have been saved: a put then takes them all
    assertThat(table.tryConsume("J#a#1", 1_000, T.plusSeconds(10))).isTrue();
    assertThat(table.tryConsume("J#a#2", 100, T.plusSeconds(5)))
        .as("at 5 s there were 500 units, but the put at 10 s needs every one of them").isFalse();
    assertThat(table.tryConsume("J#a#2", 100, T.plusSeconds(11))).isTrue();
  }

  @Test
  void aLatePutGetsTheTokensItsTimeHadWhenNoLaterGrantNeedsThem() {
    TableCapacity table = new TableCapacity(TableCapacity.Settings.provisioned(100), T);

    assertThat(table.tryConsume("J#a#0", 100, T)).isTrue();
    assertThat(table.tryConsume("J#a#1", 100, T.plusSeconds(10))).isTrue();
    assertThat(table.tryConsume("J#a#2", 500, T.plusSeconds(5))).as("500 saved by 5 s, 400 still left at 10 s after").isTrue();
    assertThat(table.tryConsume("J#a#3", 500, T.plusSeconds(6))).as("only 100 more by 6 s").isFalse();
  }

  /** A clock an actor sets to its own time before each call, as the simulator's does. */
  static final class TurnClock implements Clock {
    Instant now = T;

    @Override
    public Instant now() {
      return now;
    }

    @Override
    public void sleep(Duration duration) {
      now = now.plus(duration);
    }
  }

  @Test
  void aStreamChargesALatePutRecordsToItsOwnSecond() {
    TurnClock clock = new TurnClock();
    InMemoryStream stream = new InMemoryStream(StreamLimits.kinesis(1), clock);
    List<Chunk> small = InMemoryStreamLimitsTest.smallChunks();
    List<Chunk> thousand = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) thousand.add(small.get(i % small.size()));

    clock.now = T.plusSeconds(7);
    publishInCalls(stream, thousand);
    clock.now = T.plusSeconds(2);
    publishInCalls(stream, thousand);

    assertThat(stream.throttledRecords()).as("second 2 had its own thousand records").isZero();
    clock.now = T.plusSeconds(2).plusMillis(900);
    assertThat(stream.publish(List.of(small.get(0))).get(0)).isInstanceOf(PublishOutcome.Throttled.class);
  }

  @Test
  void aStreamCountsALateGetRecordsInItsOwnSecond() {
    TurnClock clock = new TurnClock();
    InMemoryStream stream = new InMemoryStream(StreamLimits.kinesis(1), clock);
    String shard = stream.shardIds().get(0);

    clock.now = T.plusSeconds(9);
    for (int i = 0; i < 5; i++) assertThat(stream.read(shard, 0, 10).throttled()).isFalse();
    clock.now = T.plusSeconds(8);
    for (int i = 0; i < 5; i++) assertThat(stream.read(shard, 0, 10).throttled()).as("second 8's calls").isFalse();
    assertThat(stream.read(shard, 0, 10).throttled()).as("a sixth call in second 8").isTrue();
  }

  static void publishInCalls(InMemoryStream stream, List<Chunk> chunks) {
    for (int from = 0; from < chunks.size(); from += 500) {
      stream.publish(chunks.subList(from, Math.min(chunks.size(), from + 500)));
    }
  }

  static long streamBytes(Chunk c) {
    return ContractFixtures.streamBytes(c);
  }
}
