package io.spillway.bootstrap.wiring;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import io.spillway.adapters.inmemory.InMemoryStream;
import io.spillway.application.codec.Codecs;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.DeadLetters;
import io.spillway.application.port.out.Jobs;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CodecRegistry;
import java.util.Optional;
import javax.inject.Singleton;

/**
 * Several Spillway processes in memory sharing one stream and one table, on one clock: the shared
 * parts live here, each process is an {@link InMemoryProcess}. The caller hands in the table, the
 * stream and the codec (a simulator hands in instrumented ones); the job records, the dead letters
 * and the availability check are the world's own.
 */
@Singleton
@Component(modules = {InMemoryStoreModule.Records.class, ServicesModule.Shared.class, InMemoryWorld.Parts.class})
public interface InMemoryWorld {
  /** A new process of this world: its own services, built on first use, on the world's shared parts. */
  InMemoryProcess.Factory processes();

  Jobs jobs();

  DeadLetters deadLetters();

  AvailabilityCheck availability();

  Clock clock();

  SpillwayConfig config();

  /** Builds a world around the parts its caller owns. */
  @Component.Factory
  interface Factory {
    /**
     * @param clock the world's one clock (a virtual one, for a reproducible run)
     * @param writer the codec every process's intake compresses chunks with
     * @param table where the processes store chunks
     * @param publishTo where the processes' publishers send chunks: the stream (or a decorator of
     *     it), or for an architecture without a stream, the table itself
     * @param consumeFrom the stream the processes' consumers read; empty when there is none, and
     *     then no process may be asked for its consumer
     * @param retention what the availability check knows of the stream's retention
     */
    InMemoryWorld create(@BindsInstance SpillwayConfig config, @BindsInstance Clock clock, @BindsInstance Codec writer,
        @BindsInstance Chunks table, @BindsInstance ChunkStream publishTo, @BindsInstance Optional<InMemoryStream> consumeFrom,
        @BindsInstance StreamRetention retention);
  }

  static Factory factory() {
    return DaggerInMemoryWorld.factory();
  }

  /** What the world derives from the parts handed in. */
  @Module
  interface Parts {
    /** Every codec, to read what the consumers are handed, whichever the writer. */
    @Provides
    @Singleton
    static CodecRegistry readers(SpillwayConfig config) {
      return Codecs.writingWith(config.codec(), config.zstdLevel());
    }

    @Provides
    static InMemoryStream stream(Optional<InMemoryStream> consumeFrom) {
      return consumeFrom.orElseThrow(() -> new IllegalStateException("this world has no stream to consume: its producers write to the table"));
    }
  }
}
