package io.spillway.bootstrap.wiring;

import dagger.BindsInstance;
import dagger.Component;
import io.spillway.adapters.inmemory.InMemoryChunks;
import io.spillway.adapters.inmemory.InMemoryJobAnnouncements;
import io.spillway.adapters.inmemory.InMemoryStream;
import io.spillway.adapters.inmemory.InMemoryStreamConsumer;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.DeadLetters;
import io.spillway.application.port.out.Jobs;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.DatasetService;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IntakeService;
import io.spillway.application.service.WriteRateGovernor;
import io.spillway.bootstrap.SpillwayConfig;
import javax.inject.Singleton;

/** The whole pipeline on the in-memory backend: one instance is one isolated Spillway. */
@Singleton
@ProcessScope
@Component(modules = {InMemoryStoreModule.class, InMemoryStreamModule.class, CodecModule.class, VirtualTimeModule.class, ServicesModule.class})
public interface InMemorySpillway extends SpillwayServices {
  IntakeService intake();

  IngestService ingest();

  DatasetService datasets();

  ChunkPublisher publisher();

  WriteRateGovernor governor();

  InMemoryStream stream();

  InMemoryStreamConsumer consumer();

  InMemoryChunks chunks();

  /** The announcements of settled jobs, recorded when {@link SpillwayConfig#memoryAnnouncements()} asks (empty otherwise). */
  InMemoryJobAnnouncements announcements();

  Jobs jobs();

  DeadLetters deadLetters();

  Clock clock();

  SpillwayConfig config();

  /** Builds one pipeline from a configuration and a clock (wall clock, or a virtual one). */
  @Component.Factory
  interface Factory {
    InMemorySpillway create(@BindsInstance SpillwayConfig config, VirtualTimeModule time);
  }

  static InMemorySpillway create(SpillwayConfig config, Clock clock) {
    return DaggerInMemorySpillway.factory().create(config, new VirtualTimeModule(clock));
  }
}
