package io.spillway.bootstrap.cli;

import io.spillway.application.port.in.Datasets.DatasetSummary;
import io.spillway.bootstrap.Spillway;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spillway read JOB}: streams an AVAILABLE job's dataset (or one group), verified against its
 * manifest, to stdout or a file. A file is written under a temporary name beside it and renamed
 * only once the read is complete and verified, so an interrupted or failed read never leaves a
 * half-written file under the final name; its extension picks the compression (through Apache
 * Commons Compress's compressor factory).
 */
@Command(name = "read", mixinStandardHelpOptions = true, description = "Stream a job's verified dataset to stdout or a file (.gz .zst .xz .bz2 compress).")
final class ReadCommand extends OperatorCommand {
  /** File extensions and the compressor each picks. */
  static final Map<String, String> COMPRESSORS = Map.of(
      "gz", CompressorStreamFactory.GZIP, "zst", CompressorStreamFactory.ZSTANDARD, "xz", CompressorStreamFactory.XZ, "bz2", CompressorStreamFactory.BZIP2);

  @Parameters(paramLabel = "JOB", description = "the job's id")
  String job;

  @Option(names = "--group", description = "read only this group's events")
  String group;

  @Option(names = "--format", defaultValue = "jsonl", description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}; raw: payloads one per line)")
  EventFormat format;

  @Option(names = "--out", description = "write to this file instead of stdout; .gz, .zst, .xz or .bz2 at the end compresses")
  Path out;


  /** What {@link #check} settled before anything is opened: the job, and for {@code --out} the target and its partial file. */
  private JobId id;
  private Optional<String> compressor = Optional.empty();
  private Path target;
  private Path partial;
  private OutputStream file;
  private Thread cleanUp;
  private boolean renamed;

  /** A bad {@code --out} is refused, and the partial file made, before any backend is reached. */
  @Override
  void check() {
    id = OperatorOutput.jobId(spec, job);
    if (group != null) {
      Options.notBlank(spec, "--group", group);
    }
    if (out == null) {
      return;
    }
    target = out.toAbsolutePath().normalize();
    Path dir = target.getParent();
    if (Files.isDirectory(target)) {
      throw Options.refuse(spec, "--out", out, "a file to write, not a directory");
    }
    if (dir == null || !Files.isDirectory(dir)) {
      throw Options.refuse(spec, "--out", out, "a file in a directory that exists (" + dir + " does not)");
    }
    if (!Files.isWritable(dir)) {
      throw Options.refuse(spec, "--out", out, "a file in a directory this user can write (" + dir + " is not writable)");
    }
    String name = target.getFileName().toString();
    compressor = Optional.ofNullable(COMPRESSORS.get(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT)));
    partial = target.resolveSibling("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
    // created now, before anything is read: a file this process cannot write is refused up front, whoever runs it
    try {
      file = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw Options.refuse(spec, "--out", out, "a file this process can write (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
    // an interrupted read (Ctrl-C, SIGTERM) must not leave its partial file behind
    Path made = partial;
    cleanUp = new Thread(() -> deleteQuietly(made), "spillway-read-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanUp);
  }

  @Override
  int run(Spillway spillway, PrintWriter stdout) throws IOException {
    Job found = OperatorOutput.existing(spec, spillway, id, selection);
    OptionalLong total = group == null && found.status() == JobStatus.AVAILABLE
        ? spillway.reader().manifest(id).map(Manifest::eventCount).map(OptionalLong::of).orElse(OptionalLong.empty())
        : OptionalLong.empty();
    DatasetSummary summary = target == null ? toStdout(spillway, id, total) : toFile(spillway, id, file, partial, target, compressor, total);
    renamed = target != null;
    if (json || target != null) {
      Map<String, Object> done = new LinkedHashMap<>();
      done.put("job", id.value());
      done.put("group", group);
      done.put("events", summary.events());
      done.put("chunks", summary.chunks());
      done.put("verifiedAgainstManifest", summary.verifiedAgainstManifest());
      done.put("out", target == null ? null : target.toString());
      done.put("compression", compressor.orElse("none"));
      done.put("bytes", target == null ? null : Files.size(target));
      if (json) {
        (target == null ? spec.commandLine().getErr() : stdout).println(Json.of(done));
      } else {
        stdout.printf("%s: %d events (%d chunks)%s written to %s (%s, %d bytes)%n", id.value(), summary.events(), summary.chunks(),
            summary.verifiedAgainstManifest() ? ", verified against the manifest," : "", target, compressor.orElse("uncompressed"), Files.size(target));
      }
    }
    return 0;
  }

  /** Whatever happened: a partial file not renamed into place is closed and deleted. */
  @Override
  void after() {
    if (file != null && !renamed) {
      try {
        file.close();
      } catch (IOException ignored) {
        // it is deleted next
      }
      deleteQuietly(partial);
    }
    if (cleanUp != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(cleanUp);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  private DatasetSummary toStdout(Spillway spillway, JobId id, OptionalLong total) throws IOException {
    OutputStream stdout = new BufferedOutputStream(new FilterOutputStream(System.out) {
      @Override
      public void close() throws IOException {
        flush(); // stdout stays open for whatever the process prints next
      }
    }, 1 << 16);
    try (stdout) {
      return write(spillway, id, stdout, total);
    }
  }

  /** Writes through {@code file} (the partial file, open), then renames it to {@code target} once the read is complete and verified. */
  private DatasetSummary toFile(Spillway spillway, JobId id, OutputStream file, Path partial, Path target, Optional<String> compressor,
      OptionalLong total) throws IOException {
    try (OutputStream buffered = new BufferedOutputStream(file, 1 << 16);
        OutputStream packed = compressor.isPresent() ? new CompressorStreamFactory().createCompressorOutputStream(compressor.get(), buffered) : buffered) {
      DatasetSummary summary = write(spillway, id, packed, total);
      packed.close();
      try {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return summary;
    } catch (CompressorException e) {
      throw new IOException("cannot compress with " + compressor.orElse("none") + ": " + e.getMessage(), e);
    }
  }

  private DatasetSummary write(Spillway spillway, JobId id, OutputStream sink, OptionalLong total) throws IOException {
    long[] bytes = new long[1];
    OutputStream counted = new FilterOutputStream(sink) {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        bytes[0]++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        bytes[0] += len;
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
    EventFormat.Writer writer = format.open(counted);
    ReadProgress progress = ReadProgress.forTerminal(total);
    long[] events = new long[1];
    DatasetSummary summary;
    try {
      java.util.function.Consumer<io.spillway.domain.event.Event> each = event -> {
        try {
          writer.write(event);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        events[0]++;
        if (progress != null && (events[0] & 1023) == 0) {
          progress.update(events[0], bytes[0], System.nanoTime());
        }
      };
      summary = group == null ? spillway.reader().read(id, each) : spillway.reader().readGroup(id, group, each);
      writer.finish();
      counted.flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      if (progress != null) {
        progress.done();
      }
    }
    return summary;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // nothing more can be done on the way out
    }
  }
}
