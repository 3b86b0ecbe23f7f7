package io.spillway.adapters.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The on-demand allowance charges each write at its own time: out of order across seconds (within
 * the horizon) it grants exactly what time order grants, and what any second accepts never passes
 * the maximum or twice the peak settled 15 minutes before it.
 */
class OnDemandStreamProperties {
  static final Instant T = OnDemandStreamCapacityTest.T;
  /** Callers interleave within blocks of this many seconds: less than the horizon. */
  static final long BLOCK_SECONDS = 180;

  record Write(long millis, long bytes, int records) {}

  /**
   * Writes crowded into the first two seconds of each of 40 minutes, about 20 MB a busy second: the
   * peaks pass the allowance, which grows at minutes 16 and 32, inside a block of interleaved seconds.
   */
  @Provide
  Arbitrary<List<Write>> writes() {
    Arbitrary<Long> millis = Combinators.combine(Arbitraries.integers().between(0, 40), Arbitraries.integers().between(0, 1),
        Arbitraries.integers().between(0, 999)).as((minute, second, ms) -> (minute * 60L + second) * 1000 + ms);
    Arbitrary<Write> write = Combinators.combine(millis, Arbitraries.longs().between(1, 4_000_000), Arbitraries.integers().between(1, 500))
        .as(Write::new);
    return write.list().ofMinSize(200).ofMaxSize(1_000).map(l -> {
      List<Write> sorted = new ArrayList<>(l);
      sorted.sort(Comparator.comparingLong(Write::millis));
      return sorted;
    });
  }

  /**
   * The writes with the seconds of each {@value #BLOCK_SECONDS}-second block interleaved as
   * {@code picks} say, each second's writes in time order, the blocks in time order.
   */
  static List<Write> interleaved(List<Write> inTimeOrder, List<Integer> picks) {
    Map<Long, Map<Long, List<Write>>> byBlock = new TreeMap<>();
    for (Write w : inTimeOrder) {
      long second = w.millis / 1000;
      byBlock.computeIfAbsent(second / BLOCK_SECONDS, k -> new TreeMap<>()).computeIfAbsent(second, k -> new ArrayList<>()).add(w);
    }
    List<Write> out = new ArrayList<>();
    int pick = 0;
    for (Map<Long, List<Write>> block : byBlock.values()) {
      List<List<Write>> queues = new ArrayList<>();
      for (List<Write> q : block.values()) queues.add(new ArrayList<>(q));
      while (!queues.isEmpty()) {
        int q = picks.isEmpty() ? 0 : Math.floorMod(picks.get(pick++ % picks.size()), queues.size());
        out.add(queues.get(q).remove(0));
        if (queues.get(q).isEmpty()) queues.remove(q);
      }
    }
    return out;
  }

  /** Each write's verdict, by its position in time order. */
  static Map<Write, Boolean> verdicts(List<Write> calls) {
    OnDemandStreamCapacity c = OnDemandStreamCapacity.startingAt(T);
    Map<Write, Boolean> out = new java.util.IdentityHashMap<>();
    for (Write w : calls) out.put(w, c.tryWrite(w.bytes, w.records, T.plusMillis(w.millis)));
    return out;
  }

  @Property(tries = 200)
  void outOfOrderWritesGetTheVerdictsTimeOrderGives(@ForAll("writes") List<Write> writes, @ForAll List<Integer> picks) {
    assertThat(verdicts(interleaved(writes, picks))).isEqualTo(verdicts(writes));
  }

  @Property(tries = 200)
  void outOfOrderBulkGrantsAreTheGrantsOfTimeOrder(@ForAll("writes") List<Write> writes, @ForAll List<Integer> picks) {
    OnDemandStreamCapacity ordered = OnDemandStreamCapacity.startingAt(T);
    OnDemandStreamCapacity shuffled = OnDemandStreamCapacity.startingAt(T);
    Map<Write, Integer> grantedInOrder = new java.util.IdentityHashMap<>();
    for (Write w : writes) grantedInOrder.put(w, ordered.grantRecords(w.records, w.bytes / w.records, T.plusMillis(w.millis)));
    for (Write w : interleaved(writes, picks)) {
      assertThat(shuffled.grantRecords(w.records, w.bytes / w.records, T.plusMillis(w.millis))).isEqualTo(grantedInOrder.get(w));
    }
    assertThat(shuffled.acceptedBytes()).isEqualTo(ordered.acceptedBytes());
    assertThat(shuffled.writeBytesPerSecond(T.plusSeconds(3_600))).isEqualTo(ordered.writeBytesPerSecond(T.plusSeconds(3_600)));
  }

  @Property(tries = 200)
  void aSecondNeverTakesMoreThanTheMaximumOrTwiceThePeakSettledBeforeIt(@ForAll("writes") List<Write> writes) {
    OnDemandStreamCapacity.Settings settings = OnDemandStreamCapacity.Settings.standard().withMaxMegabytesPerSecond(12);
    OnDemandStreamCapacity c = new OnDemandStreamCapacity(T, settings);
    Map<Long, Long> acceptedBySecond = new TreeMap<>();
    for (Write w : writes) {
      if (c.tryWrite(w.bytes, w.records, T.plusMillis(w.millis))) acceptedBySecond.merge(w.millis / 1000, w.bytes, Long::sum);
    }
    for (Map.Entry<Long, Long> e : acceptedBySecond.entrySet()) {
      long second = e.getKey();
      long settledPeak = acceptedBySecond.entrySet().stream().filter(p -> p.getKey() / 60 <= second / 60 - 16)
          .mapToLong(Map.Entry::getValue).max().orElse(0);
      assertThat((double) e.getValue()).as("second %d", second)
          .isLessThanOrEqualTo(Math.min(settings.maxBytesPerSecond(), Math.max(settings.initialBytesPerSecond(), 2.0 * settledPeak)));
    }
  }
}
