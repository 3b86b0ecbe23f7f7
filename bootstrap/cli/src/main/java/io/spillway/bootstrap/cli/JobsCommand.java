package io.spillway.bootstrap.cli;

import io.spillway.application.port.out.Jobs;
import io.spillway.application.service.JobOperations;
import io.spillway.bootstrap.Spillway;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spillway jobs list | show | wait | fail}: where jobs stand, for operators and scripts. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List jobs, show one, wait for one, fail one.",
    subcommands = {JobsCommand.ListJobs.class, JobsCommand.Show.class, JobsCommand.Wait.class, JobsCommand.Fail.class})
final class JobsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The jobs opened in a recent window, oldest first (one Query per day, no Scan).")
  static final class ListJobs extends OperatorCommand {
    @Option(names = "--status", description = "only jobs in this status: ${COMPLETION-CANDIDATES}")
    JobStatus status;

    @Option(names = "--since", defaultValue = "7d", converter = OperatorOutput.DurationConverter.class,
        description = "opened within this long before now, e.g. 24h or 30d; at most 400d (default ${DEFAULT-VALUE})")
    Duration since;

    @Option(names = "--stalled", description = "only jobs still being produced with a partition that made no progress for --stalled-after")
    boolean stalled;

    @Option(names = "--stalled-after", defaultValue = "15m", converter = OperatorOutput.DurationConverter.class,
        description = "how long without progress makes an open partition stalled (default ${DEFAULT-VALUE})")
    Duration stalledAfter;

    @Override
    void check() {
      if (since.isNegative() || since.isZero() || since.compareTo(Duration.ofDays(Jobs.MAX_WINDOW_DAYS)) > 0) {
        throw Options.refuse(spec, "--since", since, "more than 0 and at most " + Jobs.MAX_WINDOW_DAYS + " days");
      }
      if (stalledAfter.isNegative() || stalledAfter.isZero()) {
        throw Options.refuse(spec, "--stalled-after", stalledAfter, "more than 0");
      }
      if (stalled && status != null) {
        throw Options.refuse(spec, "--status", status, "no status with --stalled (stalled jobs are SUBMITTED or PRODUCING)");
      }
    }

    @Override
    int run(Spillway spillway, PrintWriter out) {
      if (stalled) {
        return listStalled(spillway, out);
      }
      List<Job> jobs = spillway.operator().jobs(since, Optional.ofNullable(status));
      if (json) {
        List<Object> listed = new ArrayList<>();
        jobs.forEach(j -> listed.add(OperatorOutput.job(j)));
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("jobs", listed);
        out.println(Json.of(all));
      } else {
        out.printf("%-40s %-10s %-8s %-24s %s%n", "JOB", "STATUS", "CLASS", "OPENED", "NAME");
        jobs.forEach(j -> out.printf("%-40s %-10s %-8s %-24s %s%n", j.id().value(), j.status(), j.jobClass(), j.openedAt(), j.name()));
        out.println(jobs.size() + " job(s) opened in the last " + since.toString().substring(2).toLowerCase() + " in " + selection.where());
      }
      return 0;
    }

    private int listStalled(Spillway spillway, PrintWriter out) {
      List<JobOperations.Stalled> found = spillway.operator().stalled(since, stalledAfter);
      if (json) {
        List<Object> listed = new ArrayList<>();
        java.time.Instant now = java.time.Instant.now();
        for (JobOperations.Stalled st : found) {
          Map<String, Object> o = OperatorOutput.job(st.job());
          List<Object> parts = new ArrayList<>();
          st.partitions().forEach(p -> parts.add(OperatorOutput.partition(p, now, stalledAfter)));
          o.put("stalledPartitions", parts);
          listed.add(o);
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("jobs", listed);
        out.println(Json.of(all));
      } else {
        out.printf("%-40s %-10s %-24s %s%n", "JOB", "STATUS", "OPENED", "STALLED PARTITIONS (last progress)");
        for (JobOperations.Stalled st : found) {
          StringBuilder parts = new StringBuilder();
          st.partitions().forEach(p -> parts.append(parts.length() == 0 ? "" : ", ").append(p.partition()).append(" (").append(p.lastProgressAt()).append(')'));
          out.printf("%-40s %-10s %-24s %s%n", st.job().id().value(), st.job().status(), st.job().openedAt(), parts);
        }
        out.println(found.size() + " job(s) with partitions stalled for " + stalledAfter.toString().substring(2).toLowerCase() + " or more in " + selection.where());
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One job: status, manifest, chunks stored per bucket and missing.")
  static final class Show extends OperatorCommand {
    @Parameters(paramLabel = "JOB", description = "the job's id")
    String job;

    @Option(names = "--stalled-after", defaultValue = "15m", converter = OperatorOutput.DurationConverter.class,
        description = "how long without progress makes an open partition stalled (default ${DEFAULT-VALUE})")
    Duration stalledAfter;

    @Override
    void check() {
      if (stalledAfter.isNegative() || stalledAfter.isZero()) {
        throw Options.refuse(spec, "--stalled-after", stalledAfter, "more than 0");
      }
    }

    @Override
    int run(Spillway spillway, PrintWriter out) {
      JobId id = OperatorOutput.jobId(spec, job);
      OperatorOutput.existing(spec, spillway, id, selection);
      JobOperations.JobDetails d = spillway.operator().job(id);
      List<Integer> stalledNow = d.stalled(stalledAfter).stream().map(io.spillway.application.port.out.JobPartition::partition).toList();
      if (json) {
        Map<String, Object> o = OperatorOutput.job(d.job());
        o.put("manifest", d.manifest().map(OperatorOutput::manifest).orElse(null));
        o.put("chunksCounted", d.counted());
        o.put("chunksStored", d.stored());
        o.put("chunksStoredPerBucket", d.storedPerBucket());
        o.put("chunksMissing", d.missing().isPresent() ? d.missing().getAsLong() : null);
        List<Object> parts = new ArrayList<>();
        d.partitions().forEach(p -> parts.add(OperatorOutput.partition(p, d.at(), stalledAfter)));
        o.put("partitionRecords", parts);
        o.put("partitionsNotOpened", d.unopened());
        o.put("stalledPartitions", stalledNow);
        out.println(Json.of(o));
        return 0;
      }
      Job j = d.job();
      out.printf("job       %s (%s, %s, %d buckets)%n", j.id().value(), j.name(), j.jobClass(), j.buckets());
      out.printf("status    %s since %s (opened %s)%n", j.status(), j.updatedAt(), j.openedAt());
      out.println(d.manifest().map(m -> String.format("manifest  %d chunks, %d events, checksum %016x, sealed %s", m.chunkCount(), m.eventCount(),
          m.datasetChecksum(), m.sealedAt())).orElse("manifest  none yet (not sealed)"));
      out.printf("stored    %d chunks in the table (%d counted by the consumers)%s%n", d.stored(), d.counted(),
          d.missing().isPresent() ? ", " + d.missing().getAsLong() + " missing" : "");
      out.println("buckets   " + d.storedPerBucket());
      if (j.partitions() > 1 || !d.partitions().isEmpty()) {
        long sealed = d.partitions().stream().filter(io.spillway.application.port.out.JobPartition::sealed).count();
        out.printf("partitions %d%s: %d sealed, %d open, %d not opened yet%s%n", j.partitions(), j.resumable() ? " (resumable)" : "", sealed,
            d.partitions().size() - sealed, d.unopened(),
            stalledNow.isEmpty() ? "" : "; STALLED (no progress for " + stalledAfter.toString().substring(2).toLowerCase() + "): " + stalledNow);
      }
      return 0;
    }
  }

  @Command(name = "wait", mixinStandardHelpOptions = true, description = "Wait until a job settles. Exit 0 AVAILABLE, 3 INCOMPLETE, 4 FAILED, 5 timed out.")
  static final class Wait extends OperatorCommand {
    @Parameters(paramLabel = "JOB", description = "the job's id")
    String job;

    @Option(names = "--timeout", defaultValue = "30m", converter = OperatorOutput.DurationConverter.class,
        description = "how long to wait, e.g. 90s or 2h (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    void check() {
      if (timeout.isNegative()) {
        throw Options.refuse(spec, "--timeout", timeout, "0 or more");
      }
    }

    @Override
    int run(Spillway spillway, PrintWriter out) throws InterruptedException {
      JobId id = OperatorOutput.jobId(spec, job);
      OperatorOutput.existing(spec, spillway, id, selection);
      JobStatus status = spillway.reader().await(id, timeout);
      int code = switch (status) {
        case AVAILABLE -> 0;
        case INCOMPLETE -> OperatorOutput.EXIT_INCOMPLETE;
        case FAILED -> OperatorOutput.EXIT_FAILED;
        default -> OperatorOutput.EXIT_TIMED_OUT;
      };
      if (json) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("job", id.value());
        o.put("status", status.name());
        o.put("timedOut", !status.isTerminal());
        spillway.reader().progress(id).ifPresent(p -> o.put("chunksMissing", p.missing().isPresent() ? p.missing().getAsLong() : null));
        out.println(Json.of(o));
      } else if (status.isTerminal()) {
        String missing = status == JobStatus.INCOMPLETE
            ? spillway.reader().progress(id).flatMap(p -> p.missing().isPresent() ? Optional.of(" (" + p.missing().getAsLong() + " chunks missing)") : Optional.empty()).orElse("")
            : "";
        out.println(id.value() + " " + status + missing);
      } else {
        out.println(id.value() + " still " + status + " after " + timeout.toString().substring(2).toLowerCase());
      }
      return code;
    }
  }

  @Command(name = "fail", mixinStandardHelpOptions = true, description = "Mark a job that will never complete FAILED: readers refuse it.")
  static final class Fail extends OperatorCommand {
    @Parameters(paramLabel = "JOB", description = "the job's id")
    String job;

    @Override
    int run(Spillway spillway, PrintWriter out) throws InterruptedException {
      JobId id = OperatorOutput.jobId(spec, job);
      OperatorOutput.existing(spec, spillway, id, selection);
      JobOperations.Failing outcome = spillway.operator().fail(id);
      Job after = outcome instanceof JobOperations.Failing.Failed f ? f.job()
          : outcome instanceof JobOperations.Failing.AlreadyFailed a ? a.job()
          : ((JobOperations.Failing.Settled) outcome).job();
      if (outcome instanceof JobOperations.Failing.Settled) {
        throw Options.refuse(spec, "JOB", id.value(), "a job that has not settled (it is " + after.status() + ")");
      }
      int undelivered = spillway.operator().deliverAnnouncements(Duration.ofSeconds(30));
      if (undelivered > 0) {
        spec.commandLine().getErr().println("spillway jobs fail: JobFailed of " + id.value()
            + " could not be announced yet; it stays owed, and a consumer's sweep announces it");
      }
      if (json) {
        Map<String, Object> o = OperatorOutput.job(after);
        o.put("changed", outcome instanceof JobOperations.Failing.Failed);
        o.put("chunksDeleted", outcome instanceof JobOperations.Failing.Failed f ? f.chunksDeleted() : 0);
        out.println(Json.of(o));
      } else {
        out.println(id.value() + (outcome instanceof JobOperations.Failing.Failed f
            ? " FAILED, " + f.chunksDeleted() + " stored chunks deleted" : " was FAILED already"));
      }
      return 0;
    }
  }
}
