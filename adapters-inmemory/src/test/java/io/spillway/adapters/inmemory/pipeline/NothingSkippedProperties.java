package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.application.port.in.IngestResult;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.port.out.DeadLetter;
import io.spillway.application.port.out.DeadLetters;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.application.port.out.RetryableStoreException;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IngestSettings;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever a batch mixes — valid chunks, poison of any size up to past Kinesis' 1 MiB record, a
 * table and a dead-letter store that fail at random — every record ends stored or dead-lettered,
 * never neither and never both, and the job completes.
 */
class NothingSkippedProperties {
  private static final JobId JOB = new JobId("mixed");

  @Property(tries = 60)
  void everyRecordEndsStoredOrDeadLetteredNeverNeither(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int events,
      @ForAll @IntRange(max = 5) int poisons, @ForAll @IntRange(max = 60) int failurePercent) {
    Random random = new Random(seed);
    try (Harness h = Harness.unbounded()) {
      List<StreamRecord> valid = NothingSkippedTest.produce(h, JOB, NothingSkippedTest.events(JOB, events, 1 + random.nextInt(3_000)));
      List<byte[]> records = new ArrayList<>();
      valid.forEach(r -> records.add(r.data()));
      Map<Integer, byte[]> poisonAt = new HashMap<>();
      for (int i = 0; i < poisons; i++) {
        int index = random.nextInt(records.size() + 1);
        records.add(index, poison(random, valid));
      }
      List<StreamRecord> batch = new ArrayList<>();
      Set<String> validPositions = new HashSet<>();
      Set<String> validRecords = new HashSet<>();
      valid.forEach(r -> validRecords.add(java.util.Base64.getEncoder().encodeToString(r.data())));
      for (int i = 0; i < records.size(); i++) {
        String position = String.format("%08d", i);
        batch.add(new StreamRecord("shardId-000000000000", position, h.clock.now(), records.get(i)));
        if (validRecords.contains(java.util.Base64.getEncoder().encodeToString(records.get(i)))) {
          validPositions.add(position);
        } else {
          poisonAt.put(i, records.get(i));
        }
      }

      double p = failurePercent / 100.0;
      var flakyChunks = new NothingSkippedTest.DelegatingChunks(h.chunks) {
        @Override
        public PutOutcome putIfAbsent(Chunk chunk) {
          if (random.nextDouble() < p) {
            throw new RetryableStoreException("PutItem timed out");
          }
          return super.putIfAbsent(chunk);
        }
      };
      DeadLetters flakyLetters = new NothingSkippedTest.FailingDeadLetters(h.deadLetters, () -> random.nextDouble() < p);
      IngestSettings settings = new IngestSettings(1e9, 2, Duration.ofMillis(1), Duration.ofMillis(4), true);

      // the record processor's loop: hand in what is not durable yet until all is
      List<StreamRecord> pending = batch;
      String lastCheckpoint = null;
      for (int round = 0; !pending.isEmpty(); round++) {
        assertThat(round).as("rounds to drain the batch").isLessThan(10_000);
        IngestService consumer = h.newConsumer(settings, flakyChunks, flakyLetters);
        IngestResult result = consumer.ingest(pending);
        if (result.checkpoint().isPresent()) {
          assertThat(result.checkpoint().get()).isEqualTo(pending.get(result.durable() - 1).sequenceNumber());
          if (lastCheckpoint != null) {
            assertThat(result.checkpoint().get()).isGreaterThan(lastCheckpoint);
          }
          lastCheckpoint = result.checkpoint().get();
        }
        pending = pending.subList(result.durable(), pending.size());
      }

      Set<ChunkId> stored = new HashSet<>();
      for (int b = 0; b < 2; b++) {
        h.chunks.read(JOB, b, Optional.empty()).forEach(c -> stored.add(c.id()));
      }
      List<DeadLetter> letters = h.deadLetters.list(Integer.MAX_VALUE);
      Set<String> lettered = new HashSet<>();
      letters.forEach(d -> lettered.add(d.position()));
      for (StreamRecord r : batch) {
        boolean isValid = validPositions.contains(r.sequenceNumber());
        boolean isStored = isValid && stored.contains(ChunkFormat.parse(r.data()).id());
        boolean isLettered = lettered.contains(r.sequenceNumber());
        assertThat(isStored ^ isLettered).as("record %s (%d bytes, valid %s): stored %s, dead-lettered %s", r.sequenceNumber(),
            r.data().length, isValid, isStored, isLettered).isTrue();
        assertThat(isValid).as("valid records are stored, poison dead-lettered").isEqualTo(isStored);
      }
      for (DeadLetter d : letters) {
        byte[] whole = poisonAt.get(Integer.parseInt(d.position()));
        assertThat(d.recordLength()).isEqualTo(whole.length);
        assertThat(d.sha256()).isEqualTo(DeadLetter.sha256(whole));
      }
      assertThat(stored).hasSize(valid.size());
      assertThat(h.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.AVAILABLE);
    }
  }

  /** Random bytes of any size from empty to past 1 MiB, or a valid record with one byte changed. */
  private static byte[] poison(Random random, List<StreamRecord> valid) {
    switch (random.nextInt(4)) {
      case 0:
        return NothingSkippedTest.random(random.nextInt(64), random.nextLong());
      case 1:
        return NothingSkippedTest.random(1_000 + random.nextInt(100_000), random.nextLong());
      case 2:
        byte[] big = NothingSkippedTest.random(300_000 + random.nextInt(800_000), random.nextLong());
        System.arraycopy("SPWC".getBytes(), 0, big, 0, 4);
        return big;
      default:
        byte[] flipped = valid.get(random.nextInt(valid.size())).data().clone();
        flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
        return flipped;
    }
  }
}
