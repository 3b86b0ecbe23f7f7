package io.spillway.application.service;

import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkHeader;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.domain.chunk.CodecId;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.job.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Chunks of chosen sizes, a virtual clock and a scripted stream for the {@link ChunkPublisher}
 * tests. The publisher looks only at a chunk's id, record length and event count, so the chunks
 * are built directly: producer {@code p}'s {@code n}-th chunk has job {@code p} and sequence {@code n}.
 */
final class PublisherFixtures {
  private PublisherFixtures() {}

  static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
  /** The smallest bound the settings allow: four items. */
  static final long BOUND = 4L * StoredItemLayout.ITEM_LIMIT_BYTES;

  static Chunk chunk(String producer, long sequence, int bytes) {
    ChunkId id = new ChunkId(JobId.of(producer), 0, "g", sequence);
    return new Chunk(id, new ChunkHeader(1, CodecId.NONE, 0, 1, sequence, sequence, bytes, bytes), new byte[bytes], 0);
  }

  /** Bound {@link #BOUND}; batches cut by record count only (the byte limit is above the bound). */
  static PublisherSettings settings(int batchRecords, PublisherSettings.Backpressure mode, Duration blockTimeout) {
    return new PublisherSettings(BOUND, batchRecords, ChunkStream.MAX_BYTES_PER_CALL, Duration.ofMillis(50), Duration.ofSeconds(5),
        mode, blockTimeout);
  }

  static List<PublishOutcome> acceptAll(List<Chunk> batch) {
    List<PublishOutcome> out = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      out.add(new PublishOutcome.Accepted("shard-0", String.valueOf(i)));
    }
    return out;
  }

  static List<PublishOutcome> throttleAll(List<Chunk> batch) {
    return batch.stream().<PublishOutcome>map(c -> new PublishOutcome.Throttled("test")).toList();
  }

  /** Time moves only by sleeping (or {@link #advance}); sleeps are recorded. */
  static final class VirtualClock implements Clock {
    private Instant now = T0;
    private final List<Duration> sleeps = new ArrayList<>();

    @Override
    public synchronized Instant now() {
      return now;
    }

    @Override
    public synchronized void sleep(Duration duration) {
      sleeps.add(duration);
      now = now.plus(duration);
    }

    synchronized void advance(Duration duration) {
      now = now.plus(duration);
    }

    synchronized List<Duration> sleeps() {
      return List.copyOf(sleeps);
    }
  }

  /** Answers each call with a function of the batch and records every batch it was given. */
  static final class ScriptedStream implements ChunkStream {
    private final List<Function<List<Chunk>, List<PublishOutcome>>> script;
    private final Function<List<Chunk>, List<PublishOutcome>> otherwise;
    private final List<List<Chunk>> calls = new ArrayList<>();
    private final List<Chunk> accepted = new ArrayList<>();

    /** The i-th call is answered by {@code script.get(i)}, calls after the script by {@code otherwise}. */
    ScriptedStream(List<Function<List<Chunk>, List<PublishOutcome>>> script, Function<List<Chunk>, List<PublishOutcome>> otherwise) {
      this.script = script;
      this.otherwise = otherwise;
    }

    static ScriptedStream accepting() {
      return new ScriptedStream(List.of(), PublisherFixtures::acceptAll);
    }

    static ScriptedStream refusing() {
      return new ScriptedStream(List.of(), PublisherFixtures::throttleAll);
    }

    @Override
    public synchronized List<PublishOutcome> publish(List<Chunk> chunks) {
      List<Chunk> batch = List.copyOf(chunks);
      int call = calls.size();
      calls.add(batch);
      List<PublishOutcome> outcomes = (call < script.size() ? script.get(call) : otherwise).apply(batch);
      for (int i = 0; i < Math.min(batch.size(), outcomes.size()); i++) {
        if (outcomes.get(i) instanceof PublishOutcome.Accepted) {
          accepted.add(batch.get(i));
        }
      }
      return outcomes;
    }

    synchronized List<List<Chunk>> calls() {
      return List.copyOf(calls);
    }

    synchronized List<Chunk> accepted() {
      return List.copyOf(accepted);
    }
  }
}
