package io.spillway.bootstrap.cli;

import io.spillway.bootstrap.Spillway;
import io.spillway.bootstrap.SpillwaySettings;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.manifest.Manifest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** What the operator commands share: reading a job id, finding the job, and jobs and manifests as JSON fields. */
final class OperatorOutput {
  /** Exit code of {@code jobs wait} for INCOMPLETE, of {@code verify} for damage found, of {@code dead-letters replay} for letters left. */
  static final int EXIT_INCOMPLETE = 3;
  /** Exit code of {@code jobs wait} for FAILED. */
  static final int EXIT_FAILED = 4;
  /** Exit code of {@code jobs wait} when the timeout passed first. */
  static final int EXIT_TIMED_OUT = 5;

  private OperatorOutput() {}

  /** The job id argument, checked as the domain checks ids. */
  static JobId jobId(CommandSpec spec, String text) {
    try {
      return JobId.of(text);
    } catch (InvalidFieldException e) {
      throw new Options.Refused(spec, "JOB: " + e.getMessage());
    }
  }

  /** The job, or the id refused (exit 2) when the backend has no such job. */
  static Job existing(CommandSpec spec, Spillway spillway, JobId id, Backends.Selection selection) {
    return spillway.reader().job(id).orElseThrow(() -> Options.refuse(spec, "JOB", id.value(), "a job in " + selection.where() + " (there is none)"));
  }

  static Map<String, Object> job(Job job) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", job.id().value());
    out.put("name", job.name());
    out.put("class", job.jobClass().name());
    out.put("status", job.status().name());
    out.put("buckets", job.buckets());
    out.put("partitions", job.partitions());
    out.put("resumable", job.resumable());
    out.put("openedAt", job.openedAt().toString());
    out.put("updatedAt", job.updatedAt().toString());
    return out;
  }

  static Map<String, Object> partition(io.spillway.application.port.out.JobPartition p, java.time.Instant now, java.time.Duration stalledAfter) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("partition", p.partition());
    out.put("state", p.sealed() ? "SEALED" : p.stalled(now, stalledAfter) ? "STALLED" : "OPEN");
    out.put("lastProgressAt", p.lastProgressAt().toString());
    out.put("eventsAccepted", p.eventsAccepted());
    p.manifest().ifPresent(m -> {
      out.put("chunks", m.chunkCount());
      out.put("events", m.eventCount());
      out.put("checksum", String.format("%016x", m.datasetChecksum()));
    });
    return out;
  }

  static Map<String, Object> manifest(Manifest m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("buckets", m.buckets());
    out.put("chunks", m.chunkCount());
    out.put("events", m.eventCount());
    out.put("checksum", String.format("%016x", m.datasetChecksum()));
    out.put("sealedAt", m.sealedAt().toString());
    return out;
  }

  /** Durations as the properties files write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d} or ISO-8601. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return SpillwaySettings.parseDuration("duration", value);
      } catch (InvalidFieldException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 30s, 5m, 24h or 7d");
      }
    }
  }
}
