package io.spillway.adapters.inmemory.pipeline;

import io.spillway.adapters.inmemory.InMemoryChunks;
import io.spillway.adapters.inmemory.InMemoryDeadLetters;
import io.spillway.adapters.inmemory.InMemoryJobs;
import io.spillway.adapters.inmemory.InMemoryStream;
import io.spillway.adapters.inmemory.ManualClock;
import io.spillway.adapters.inmemory.SequentialJobIds;
import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.codec.Codecs;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.DatasetService;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IngestSettings;
import io.spillway.application.service.IntakeService;
import io.spillway.application.service.PublisherSettings;
import io.spillway.application.service.WriteRateGovernor;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The production services wired over the in-memory adapters on a virtual clock, as a test needs them. */
final class Harness implements AutoCloseable {
  final ManualClock clock = ManualClock.atEpochDay();
  final Codecs codecs = Codecs.standard();
  final InMemoryJobs jobs = new InMemoryJobs();
  final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
  final InMemoryChunks chunks;
  final InMemoryStream stream;
  final AvailabilityCheck availability;
  final ChunkPublisher publisher;
  final IntakeService intake;
  final DatasetService datasets;

  Harness(StreamLimits streamLimits, TableCapacity.Settings table, PublisherSettings publisherSettings) {
    chunks = new InMemoryChunks(new TableCapacity(table, clock.now()), clock);
    stream = new InMemoryStream(streamLimits, clock);
    availability = new AvailabilityCheck(jobs, chunks, clock);
    publisher = new ChunkPublisher(stream, clock, publisherSettings);
    intake = new IntakeService(jobs, new SequentialJobIds(), clock, publisher, codecs.writer(),
        ChunkAssembler.Settings.defaults(), availability, Duration.ofHours(1));
    datasets = new DatasetService(jobs, chunks, codecs, 2);
  }

  static Harness unbounded() {
    return new Harness(StreamLimits.unbounded(3), TableCapacity.Settings.unlimited(), PublisherSettings.defaults());
  }

  /** A fresh consumer process: its own governor and availability cache, the shared stores. */
  IngestService newConsumer(IngestSettings settings) {
    return new IngestService(chunks, deadLetters, new AvailabilityCheck(jobs, chunks, clock), new WriteRateGovernor(clock, settings.writeUnitsPerSecond()),
        codecs, clock, settings);
  }

  /** A fresh consumer process writing through the given stores (wrappers that fail, say). */
  IngestService newConsumer(IngestSettings settings, io.spillway.application.port.out.Chunks store,
      io.spillway.application.port.out.DeadLetters letters) {
    return new IngestService(store, letters, new AvailabilityCheck(jobs, store, clock), new WriteRateGovernor(clock, settings.writeUnitsPerSecond()),
        codecs, clock, settings);
  }

  /** Every record in the stream, shard by shard, in order. */
  List<StreamRecord> allRecords() {
    List<StreamRecord> all = new ArrayList<>();
    for (String shard : stream.shardIds()) {
      long position = 0;
      while (true) {
        InMemoryStream.ReadResult r = stream.read(shard, position, 10_000);
        if (r.throttled()) {
          clock.advance(Duration.ofSeconds(1));
          continue;
        }
        if (r.records().isEmpty()) break;
        all.addAll(r.records());
        position = r.nextPosition();
      }
    }
    return all;
  }

  List<Event> readBack(JobId job) {
    List<Event> out = new ArrayList<>();
    datasets.read(job, Optional.empty(), out::add);
    return out;
  }

  @Override
  public void close() {
    datasets.close();
  }
}
