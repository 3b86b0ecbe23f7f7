package io.spillway.bootstrap.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Bracketing and bisection find a known boundary within the resolution, probing only inside the bounds and never twice. */
class BoundarySearchTest {
  private static final long CAP = 20_000;

  private static BoundarySearch.Outcome search(long start, double factor, boolean harderUp, LongPredicate meets) {
    return BoundarySearch.search(start, factor, 1, CAP, CapacitySearch.RESOLUTION, harderUp,
        v -> new CapacitySearch.Probe(v, 0, meets.test(v), null, null, meets.test(v) ? "meets" : "misses"));
  }

  @Property
  void theLargestLoadFoundIsTheThresholdWithinTheResolution(@ForAll @LongRange(min = 1, max = 30_000) long threshold,
      @ForAll @LongRange(min = 1, max = CAP) long start, @ForAll boolean firstSeed) {
    BoundarySearch.Outcome o = search(start, firstSeed ? 2 : 1.1, true, v -> v <= threshold);

    assertSaneProbes(o);
    if (threshold >= CAP) {
      assertThat(o.limit()).isEqualTo(CapacitySearch.Limit.MET_AT_BOUND);
      assertThat(o.value()).isEqualTo(CAP);
    } else {
      assertThat(o.limit()).isEqualTo(CapacitySearch.Limit.FOUND);
      assertThat(o.value()).isLessThanOrEqualTo(threshold);
      assertThat((double) threshold - o.value()).isLessThan(Math.max(1, CapacitySearch.RESOLUTION * o.value()));
    }
  }

  @Property
  void theSmallestCapacityFoundIsTheThresholdWithinTheResolution(@ForAll @LongRange(min = 1, max = 30_000) long threshold,
      @ForAll @LongRange(min = 1, max = CAP) long start, @ForAll boolean firstSeed) {
    BoundarySearch.Outcome o = search(start, firstSeed ? 2 : 1.1, false, v -> v >= threshold);

    assertSaneProbes(o);
    if (threshold > CAP) {
      assertThat(o.limit()).isEqualTo(CapacitySearch.Limit.NOT_MET_WITHIN_BOUNDS);
      assertThat(o.value()).isEqualTo(-1);
    } else if (threshold == 1) {
      assertThat(o.limit()).isEqualTo(CapacitySearch.Limit.MET_AT_BOUND);
      assertThat(o.value()).isEqualTo(1);
    } else {
      assertThat(o.limit()).isEqualTo(CapacitySearch.Limit.FOUND);
      assertThat(o.value()).isGreaterThanOrEqualTo(threshold);
      assertThat((double) o.value() - threshold).isLessThan(Math.max(1, CapacitySearch.RESOLUTION * o.value()));
    }
  }

  @Test
  void aLoadThatFailsEvenAtOneJobADayIsNotMetWithinTheBounds() {
    BoundarySearch.Outcome o = search(580, 2, true, v -> false);

    assertThat(o.limit()).isEqualTo(CapacitySearch.Limit.NOT_MET_WITHIN_BOUNDS);
    assertThat(o.probes()).extracting(CapacitySearch.Probe::value).containsExactly(580L, 290L, 145L, 72L, 36L, 18L, 9L, 4L, 2L, 1L);
  }

  @Test
  void whereTheOutcomeIsNotMonotonicTheSearchReportsABoundaryItProbedNotTheHole() {
    // meets up to 1,000 except a hole at 400..599: the bracket from 580 finds the hole's lower edge, and says so through its probes
    BoundarySearch.Outcome o = search(580, 2, true, v -> v <= 1_000 && (v < 400 || v >= 600));

    assertThat(o.limit()).isEqualTo(CapacitySearch.Limit.FOUND);
    assertThat(o.probes()).filteredOn(p -> p.value() == o.value()).singleElement().matches(CapacitySearch.Probe::meets);
    assertThat(o.value()).isLessThan(400);
    assertThat(o.probes()).filteredOn(p -> !p.meets()).extracting(CapacitySearch.Probe::value).allMatch(v -> v > o.value());
  }

  private static void assertSaneProbes(BoundarySearch.Outcome o) {
    List<Long> values = o.probes().stream().map(CapacitySearch.Probe::value).toList();
    assertThat(values).allMatch(v -> v >= 1 && v <= CAP);
    Set<Long> seen = new HashSet<>(values);
    assertThat(seen).as("no value probed twice: %s", values).hasSameSizeAs(values);
    if (o.value() >= 0) {
      assertThat(o.probes()).filteredOn(p -> p.value() == o.value()).singleElement().matches(CapacitySearch.Probe::meets);
    }
  }
}
