package io.spillway.bootstrap.cli;

import io.spillway.application.port.in.Intake;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.in.PartitionOpened;
import io.spillway.bootstrap.Spillway;
import io.spillway.bootstrap.SpillwayProducer;
import io.spillway.bootstrap.workload.AnalyticsEvents;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.manifest.PartitionManifest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spillway produce JOB --partition P}: one producer task of a job computed by many tasks. It
 * creates the job if no task has yet (resumable, {@code --partitions} partitions), opens its
 * partition, sends that partition's analytics-shaped events (the same ones for the same seed, job and
 * partition, as a deterministic task recomputes them) and seals it; the last partition sealed seals
 * the job. Run again after a crash, it finds the partition RESUMED and sends it again: what the dead
 * run made durable is neither lost nor stored twice.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
    description = "One producer task of a job of many partitions: create the job if absent, send partition P's events, seal it (resumable after a crash).")
final class ProduceCommand extends OperatorCommand {
  @Parameters(paramLabel = "JOB", description = "the job's id (the same for every task of the job)")
  String job;

  @Option(names = "--partition", required = true, description = "this task's partition, 0..partitions-1")
  int partition;

  @Option(names = "--partitions", defaultValue = "1", description = "the job's partitions, one per task (default ${DEFAULT-VALUE}; at most 10000)")
  int partitions;

  @Option(names = "--events", defaultValue = "100000", description = "events this partition sends (default ${DEFAULT-VALUE})")
  long events;

  @Option(names = "--buckets", defaultValue = "4", description = "partition-key buckets of the job (default ${DEFAULT-VALUE}; at most 1024)")
  int buckets;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the generated events (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--stop-after", hidden = true, description = "after this many events, publish what is buffered and hang (a task that stalls), until killed")
  long stopAfter = -1;

  @Override
  void check() {
    Options.range(spec, "--partitions", partitions, 1, Job.MAX_PARTITIONS);
    Options.range(spec, "--partition", partition, 0, partitions - 1);
    Options.range(spec, "--buckets", buckets, 1, Job.MAX_BUCKETS);
    if (events < 0) {
      throw Options.refuse(spec, "--events", events, "0 or more");
    }
  }

  @Override
  int run(Spillway spillway, PrintWriter out) throws Exception {
    JobId id = OperatorOutput.jobId(spec, job);
    SpillwayProducer producer = spillway.producer();
    try {
      producer.create(new OpenJob(java.util.Optional.of(id), "produce " + id.value(), JobClass.STANDARD, buckets, partitions, true));
    } catch (InvalidFieldException exists) {
      // another task created it first
    }
    Job found = spillway.operator().job(id).job();
    if (found.partitions() != partitions) {
      throw Options.refuse(spec, "--partitions", partitions, "the job's own " + found.partitions() + " (job " + id.value() + " exists)");
    }
    PartitionOpened opened = producer.openPartition(id, partition);
    spec.commandLine().getErr().println("spillway produce: partition " + partition + " of " + id.value() + " " + opened.state()
        + (opened.state() == PartitionOpened.State.RESUMED ? ", sending it again from 0 (" + opened.chunksKnownStored() + " of its chunks stored already)" : ""));
    java.util.function.Supplier<Event> source = AnalyticsEvents.forPartition(id, partition, seed);
    long accepted = 0;
    long duplicates = 0;
    List<Event> batch = new ArrayList<>(1_000);
    for (long sent = 0; sent < events; ) {
      batch.clear();
      long upTo = stopAfter >= 0 ? Math.min(events, stopAfter) : events;
      for (; sent < upTo && batch.size() < 1_000; sent++) {
        batch.add(source.get());
      }
      if (!batch.isEmpty()) {
        Intake.AppendSummary s = producer.appendAll(id, batch);
        accepted += s.accepted();
        duplicates += s.duplicates();
      }
      if (stopAfter >= 0 && sent >= stopAfter) {
        producer.flush(Duration.ofMinutes(2));
        spec.commandLine().getErr().println("spillway produce: stopped after " + sent + " events (" + producer.stats().chunksCut()
            + " chunks cut, published what was cut); hanging until killed");
        spec.commandLine().getErr().flush();
        new java.util.concurrent.CountDownLatch(1).await();
      }
    }
    PartitionManifest sealed = producer.sealPartition(id, partition);
    Job after = spillway.operator().job(id).job();
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("job", id.value());
      o.put("partition", partition);
      o.put("opened", opened.state().name());
      o.put("chunksKnownStored", opened.chunksKnownStored());
      o.put("eventsAccepted", accepted);
      o.put("duplicates", duplicates);
      o.put("chunksCut", producer.stats().chunksCut());
      o.put("chunksNotRepublished", producer.stats().chunksNotRepublished());
      o.put("partitionChunks", sealed.chunkCount());
      o.put("partitionEvents", sealed.eventCount());
      o.put("partitionChecksum", String.format("%016x", sealed.datasetChecksum()));
      o.put("jobStatus", after.status().name());
      out.println(Json.of(o));
    } else {
      out.printf("partition %d of %s sealed: %d chunks, %d events (%s, %d chunks not published again); job %s%n", partition, id.value(),
          sealed.chunkCount(), sealed.eventCount(), opened.state(), producer.stats().chunksNotRepublished(), after.status());
    }
    return 0;
  }
}
