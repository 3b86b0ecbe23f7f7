package io.spillway.bootstrap.pipeline;

import io.spillway.application.port.out.Jobs;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.DatasetService;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IntakeService;

/** One Spillway, whatever its backend, as a run drives it: producer, consumers, jobs, reader. */
public interface Pipeline {
  IntakeService intake();

  ChunkPublisher publisher();

  IngestService ingest();

  Jobs jobs();

  DatasetService datasets();

  /** Starts the consumers; they persist what the stream holds until the handle is closed. */
  AutoCloseable startConsumers() throws Exception;

  /** A label for reports: the backend and its shape. */
  String describe();
}
