package io.spillway.adapters.inmemory.pipeline;

import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.application.service.PublisherSettings;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkHeader;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.domain.chunk.CodecId;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.job.JobId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Chunks of chosen sizes and a stream that refuses while told to, for the publisher's spill tests.
 * The publisher and the in-memory spill look only at a chunk's id, record length and event count,
 * so the chunks are built directly: appender {@code p}'s {@code n}-th chunk has job {@code p} and
 * sequence {@code n}.
 */
final class SpillScript {
  private SpillScript() {}

  /** The smallest memory bound the settings allow: four items. */
  static final long BOUND = 4L * StoredItemLayout.ITEM_LIMIT_BYTES;

  static Chunk chunk(String appender, long sequence, int bytes) {
    ChunkId id = new ChunkId(JobId.of(appender), 0, "g", sequence);
    return new Chunk(id, new ChunkHeader(1, CodecId.NONE, 0, 1, sequence, sequence, bytes, bytes), new byte[bytes], 0);
  }

  /** Memory bound {@link #BOUND}; calls of {@code batchRecords} records at most (the byte limit is above the bound). */
  static PublisherSettings settings(int batchRecords, PublisherSettings.Backpressure mode, Duration blockTimeout) {
    return new PublisherSettings(BOUND, batchRecords, ChunkStream.MAX_BYTES_PER_CALL, Duration.ofMillis(50), Duration.ofSeconds(5),
        mode, blockTimeout);
  }

  /** Refuses every chunk while {@link #refusing}, else refuses those the filter picks; records calls and acceptances. */
  static final class SwitchableStream implements ChunkStream {
    private boolean refusing;
    private Predicate<Chunk> throttle = c -> false;
    private final List<List<Chunk>> calls = new ArrayList<>();
    private final List<Chunk> accepted = new ArrayList<>();

    synchronized SwitchableStream refuse(boolean refuse) {
      this.refusing = refuse;
      return this;
    }

    synchronized SwitchableStream throttleWhere(Predicate<Chunk> filter) {
      this.throttle = filter;
      return this;
    }

    @Override
    public synchronized List<PublishOutcome> publish(List<Chunk> chunks) {
      calls.add(List.copyOf(chunks));
      List<PublishOutcome> out = new ArrayList<>();
      for (Chunk c : chunks) {
        if (refusing || throttle.test(c)) {
          out.add(new PublishOutcome.Throttled("test"));
        } else {
          accepted.add(c);
          out.add(new PublishOutcome.Accepted("shard-0", String.valueOf(accepted.size())));
        }
      }
      return out;
    }

    synchronized List<List<Chunk>> calls() {
      return List.copyOf(calls);
    }

    synchronized List<Chunk> accepted() {
      return List.copyOf(accepted);
    }
  }
}
