package io.spillway.domain.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.domain.risk.DrainLimits.Bottleneck;
import org.junit.jupiter.api.Test;

class BottleneckEvidenceTest {
  @Test
  void table_throttles_or_spending_at_the_ceiling_point_to_write_capacity() {
    assertThat(new BottleneckEvidence(8, 8, 0, 100, 0).bottleneck()).isEqualTo(Bottleneck.WRITE_CAPACITY);
    assertThat(new BottleneckEvidence(100, 500, 3, 100, 0).bottleneck()).isEqualTo(Bottleneck.WRITE_CAPACITY);
    assertThat(new BottleneckEvidence(8, 8, 0, 100, 90).bottleneck()).as("the table binds before the reads matter").isEqualTo(Bottleneck.WRITE_CAPACITY);
  }

  @Test
  void often_throttled_reads_point_to_the_shards() {
    assertThat(new BottleneckEvidence(0, 500, 0, 1000, 990).bottleneck()).isEqualTo(Bottleneck.SHARD_READS);
    assertThat(new BottleneckEvidence(0, 500, 0, 1000, 5).bottleneck()).as("a throttle now and then").isEqualTo(Bottleneck.CONSUMERS);
  }

  @Test
  void idle_table_and_shards_point_to_the_consumers() {
    assertThat(new BottleneckEvidence(0, 500, 0, 0, 0).bottleneck()).isEqualTo(Bottleneck.CONSUMERS);
    assertThat(new BottleneckEvidence(0, Double.POSITIVE_INFINITY, 0, 10, 0).bottleneck()).isEqualTo(Bottleneck.CONSUMERS);
  }

  @Test
  void bad_evidence_names_the_field() {
    assertThatThrownBy(() -> new BottleneckEvidence(-1, 5, 0, 0, 0)).hasMessageContaining("evidence.writeUnitsPerSecond");
    assertThatThrownBy(() -> new BottleneckEvidence(1, Double.NaN, 0, 0, 0)).hasMessageContaining("evidence.writeCeilingPerSecond");
    assertThatThrownBy(() -> new BottleneckEvidence(1, 5, 0, 3, 4)).hasMessageContaining("evidence.readThrottles");
  }
}
