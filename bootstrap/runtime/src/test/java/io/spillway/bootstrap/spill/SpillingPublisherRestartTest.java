package io.spillway.bootstrap.spill;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.adapters.inmemory.ManualClock;
import io.spillway.application.codec.Codecs;
import io.spillway.application.contract.ContractFixtures;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.application.port.out.RandomSource;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.PublisherSettings;
import io.spillway.application.service.PublisherSettings.Backpressure;
import io.spillway.bootstrap.SpillSettings;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.wiring.ServicesModule;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.job.JobId;
import io.spillway.domain.testing.DomainArbitraries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publisher over a real spill directory, with real zstd chunks of about 380 KB: a process that
 * spilled and died leaves its chunks on disk, and the process started next over the same directory
 * publishes them, in order, before its own; a file damaged meanwhile is set aside as
 * {@code .corrupt}, counted, and never reaches the stream.
 */
class SpillingPublisherRestartTest {
  private static final JobId JOB = JobId.of("job-spilled");
  private static final List<Chunk> CHUNKS = bigChunks(8);

  @TempDir
  Path dir;
  private final ManualClock clock = ManualClock.atEpochDay();
  private final List<Chunk> accepted = new ArrayList<>();
  private boolean refusing = true;

  private final ChunkStream stream = chunks -> {
    List<PublishOutcome> out = new ArrayList<>();
    for (Chunk c : chunks) {
      if (refusing) {
        out.add(new PublishOutcome.Throttled("throttled"));
      } else {
        accepted.add(c);
        out.add(new PublishOutcome.Accepted("shard-0", String.valueOf(accepted.size())));
      }
    }
    return out;
  };

  private static List<Chunk> bigChunks(int count) {
    ChunkAssembler assembler = new ChunkAssembler(JOB, 1, Codecs.standard().writer(), ChunkAssembler.Settings.defaults());
    List<Chunk> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.addAll(assembler.add(ContractFixtures.event(JOB, i, "g", DomainArbitraries.randomBytes(i, 380_000)), ContractFixtures.T0));
      out.addAll(assembler.flushAll());
    }
    return List.copyOf(out);
  }

  private ChunkPublisher publisherOverTheDirectory() {
    SpillwayConfig config = SpillwayConfig.defaults()
        .withPublisher(PublisherSettings.defaults().withMaxBufferedBytes(4L * 409_600).withBackpressure(Backpressure.FAIL_FAST, Duration.ZERO))
        .withSpill(new SpillSettings(dir, 4L * 409_600));
    // the process's own wiring, so the setting is what opens the directory
    return ServicesModule.PerProcess.publisher(stream, clock, config, RandomSource.none());
  }

  private static void append(ChunkPublisher publisher, List<Chunk> chunks) {
    for (Chunk c : chunks) {
      publisher.reserve(c.record().length);
      publisher.enqueue(List.of(c), c.record().length);
    }
  }

  private List<Path> files(String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void whatADeadProcessSpilledIsPublishedFirstByTheNextAndADamagedFileNever() throws IOException {
    ChunkPublisher first = publisherOverTheDirectory();
    append(first, CHUNKS.subList(0, 7));
    assertThat(first.buffered()).containsExactlyElementsOf(CHUNKS.subList(0, 4));
    assertThat(files(".spill")).hasSize(3);
    assertThat(first.spillStats().capacityBytes()).isEqualTo(4L * 409_600);
    // the first process dies here with 0..3 in memory; 4..6 are on disk. One of them rots meanwhile.
    Path rotten = files(".spill").get(1);
    byte[] bytes = Files.readAllBytes(rotten);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(rotten, bytes);

    refusing = false;
    ChunkPublisher second = publisherOverTheDirectory();
    assertThat(second.spillStats().chunksRecovered()).isEqualTo(3);
    append(second, CHUNKS.subList(7, 8));
    second.drain(Duration.ofSeconds(5));

    assertThat(accepted).containsExactly(CHUNKS.get(4), CHUNKS.get(6), CHUNKS.get(7));
    assertThat(second.spillStats().corruptChunks()).isEqualTo(1);
    assertThat(files(".spill")).isEmpty();
    assertThat(files(".corrupt")).containsExactly(rotten.resolveSibling(rotten.getFileName() + ".corrupt"));
  }
}
