package io.spillway.bootstrap.wiring;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import io.spillway.adapters.inmemory.InMemoryStream;
import io.spillway.adapters.inmemory.InMemoryStreamConsumer;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.Clock;
import io.spillway.application.service.IngestService;
import io.spillway.bootstrap.SpillwayConfig;
import javax.inject.Singleton;

/** The stream in memory, with Kinesis' limits, and the consumer that plays KCL's part. */
@Module(includes = InMemoryStreamModule.Consumer.class)
public interface InMemoryStreamModule {
  @Provides
  @Singleton
  static InMemoryStream stream(SpillwayConfig config, Clock clock) {
    return new InMemoryStream(config.stream(), clock);
  }

  @Binds
  ChunkStream chunkStream(InMemoryStream stream);

  @Provides
  static StreamRetention retention(SpillwayConfig config) {
    return new StreamRetention(java.util.Optional.of(config.stream().retention()));
  }

  /** One process's consumer of the in-memory stream, handing what it reads to the process's ingest service. */
  @Module
  interface Consumer {
    @Provides
    @ProcessScope
    static InMemoryStreamConsumer consumer(InMemoryStream stream, IngestService ingest, SpillwayConfig config) {
      return new InMemoryStreamConsumer(stream, ingest, config.consumerBatchRecords());
    }
  }
}
