package io.spillway.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spillway.adapters.inmemory.InMemoryChunks;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.out.DeadLetter;
import io.spillway.bootstrap.Spillway;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.workload.AnalyticsEvents;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The operator commands — jobs, read, verify, dead-letters — on the memory backend, handed one
 * in-memory Spillway whose consumer runs on the wall clock: what each prints, its exit code, and
 * each bad input refused in one line with exit 2.
 */
class OperatorCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T = Instant.parse("2026-11-28T00:00:00Z");

  private Spillway spillway;

  private final Backends shared = new Backends() {
    @Override
    public Spillway open(CommandLine.Model.CommandSpec spec, Selection selection) {
      return spillway;
    }

    @Override
    public void release(Spillway s) {
      // the test's own: it closes it
    }
  };

  record Ran(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  private Ran spillway(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = SpillwayCommand.commandLine(false, shared);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Ran(exit, out.toString(), err.toString());
  }

  @BeforeEach
  void start() {
    spillway = Spillway.inMemory(SpillwayConfig.defaults());
    spillway.consumer().start();
  }

  @AfterEach
  void stop() {
    spillway.close();
  }

  private record Produced(Job job, List<Event> events) {}

  private Produced available(String name, int events, int buckets) throws Exception {
    Job job = spillway.producer().open(name, JobClass.STANDARD, buckets);
    List<Event> all = new AnalyticsEvents(job.id(), 3, T).next(events);
    spillway.producer().appendAll(job.id(), all);
    spillway.producer().seal(job.id());
    assertThat(spillway.reader().await(job.id(), Duration.ofSeconds(30))).isEqualTo(JobStatus.AVAILABLE);
    return new Produced(job, all);
  }

  @Test
  void jobsListPrintsTheJobsAsAJsonArrayFilteredByStatus() throws Exception {
    Produced done = available("done", 2_000, 2);
    Job open = spillway.producer().open("still producing", JobClass.COMPLEX, 4);

    Ran all = spillway("jobs", "list", "--json");
    Ran onlyAvailable = spillway("jobs", "list", "--status", "AVAILABLE", "--json");

    assertThat(all.exit()).as(all.err()).isZero();
    assertThat(all.json().get("jobs")).extracting(j -> j.get("id").asText()).containsExactly(done.job().id().value(), open.id().value());
    assertThat(all.json().get("jobs").get(1).get("status").asText()).isEqualTo("SUBMITTED");
    assertThat(onlyAvailable.json().get("jobs")).extracting(j -> j.get("id").asText()).containsExactly(done.job().id().value());
    assertThat(spillway("jobs", "list").out()).contains(done.job().id().value()).contains("2 job(s) opened in the last 168h");
  }

  @Test
  void jobsShowGivesTheManifestAndTheChunksOfEachBucket() throws Exception {
    Produced done = available("shown", 3_000, 3);
    long chunks = spillway.reader().manifest(done.job().id()).orElseThrow().chunkCount();

    JsonNode shown = spillway("jobs", "show", done.job().id().value(), "--json").json();

    assertThat(shown.get("status").asText()).isEqualTo("AVAILABLE");
    assertThat(shown.get("manifest").get("events").asLong()).isEqualTo(3_000);
    assertThat(shown.get("chunksStored").asLong()).isEqualTo(chunks);
    assertThat(shown.get("chunksMissing").asLong()).isZero();
    assertThat(shown.get("chunksStoredPerBucket")).hasSize(3);
    long sum = 0;
    for (JsonNode n : shown.get("chunksStoredPerBucket")) {
      sum += n.asLong();
    }
    assertThat(sum).isEqualTo(chunks);
  }

  @Test
  void jobsWaitExitsWithADistinctCodeForEachWayAJobSettlesOrDoesNot() throws Exception {
    Produced done = available("waited", 500, 1);
    Job stuck = spillway.producer().open("never sealed", JobClass.STANDARD, 1);
    Job failed = spillway.producer().open("given up", JobClass.STANDARD, 1);

    assertThat(spillway("jobs", "wait", done.job().id().value()).exit()).isZero();
    Ran timedOut = spillway("jobs", "wait", stuck.id().value(), "--timeout", "200ms", "--json");
    assertThat(timedOut.exit()).isEqualTo(OperatorOutput.EXIT_TIMED_OUT);
    assertThat(timedOut.json().get("timedOut").asBoolean()).isTrue();
    assertThat(spillway("jobs", "fail", failed.id().value()).exit()).isZero();
    assertThat(spillway("jobs", "wait", failed.id().value()).exit()).isEqualTo(OperatorOutput.EXIT_FAILED);
  }

  @Test
  void aFailedJobIsRefusedToReadersAndFailingASettledOneIsRefused() throws Exception {
    Produced done = available("settled", 500, 1);
    Job open = spillway.producer().open("to fail", JobClass.STANDARD, 1);

    Ran failed = spillway("jobs", "fail", open.id().value(), "--json");
    Ran again = spillway("jobs", "fail", open.id().value(), "--json");
    Ran settled = spillway("jobs", "fail", done.job().id().value());

    assertThat(failed.json().get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.json().get("changed").asBoolean()).isTrue();
    assertThat(again.json().get("changed").asBoolean()).isFalse();
    assertThat(settled.exit()).isEqualTo(2);
    assertThat(settled.err().strip()).isEqualTo("spillway jobs fail: JOB: \"" + done.job().id().value()
        + "\" breaks the limit: a job that has not settled (it is AVAILABLE)").doesNotContain("\tat ");
    assertThat(spillway.reader().status(open.id())).contains(JobStatus.FAILED);
    Ran read = spillway("read", open.id().value());
    assertThat(read.exit()).isEqualTo(1);
    assertThat(read.err()).contains("FAILED").hasLineCount(1);
  }

  @Test
  void failingAJobAnnouncesJobFailedWhenAnnouncementsAreOn() throws Exception {
    spillway.close();
    spillway = Spillway.inMemory(SpillwayConfig.defaults().withMemoryAnnouncements(true));
    Job open = spillway.producer().open("announced failure", JobClass.STANDARD, 1);

    assertThat(spillway("jobs", "fail", open.id().value()).exit()).isZero();

    var announced = ((io.spillway.bootstrap.wiring.InMemorySpillway) spillway.services()).announcements().accepted();
    assertThat(announced).hasSize(1).first().isInstanceOfSatisfying(io.spillway.application.port.out.JobFailed.class, f -> {
      assertThat(f.jobId()).isEqualTo(open.id());
      assertThat(f.reason()).contains("failed by an operator");
    });
    assertThat(spillway.services().jobs().owedAnnouncements()).as("delivered, so no longer owed").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"events.jsonl.zst", "events.jsonl.gz", "events.jsonl.xz", "events.jsonl.bz2", "events.jsonl"})
  void readWritesTheVerifiedDatasetCompressedByTheFilesExtension(String name, @TempDir Path dir) throws Exception {
    Produced done = available("exported", 4_000, 2);
    Path file = dir.resolve(name);

    Ran read = spillway("read", done.job().id().value(), "--out", file.toString(), "--json");

    assertThat(read.exit()).as(read.err()).isZero();
    JsonNode summary = read.json();
    assertThat(summary.get("events").asLong()).isEqualTo(4_000);
    assertThat(summary.get("verifiedAgainstManifest").asBoolean()).isTrue();
    List<String> lines;
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = name.endsWith(".jsonl") ? raw : new CompressorStreamFactory().createCompressorInputStream(new java.io.BufferedInputStream(raw))) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    assertThat(parsed(lines)).containsExactlyInAnyOrderElementsOf(done.events());
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).as("no partial file left beside it").containsExactly(file);
    }
  }

  @Test
  void readToStdoutWritesCsvAndRawAndAGroupAlone() throws Exception {
    Produced done = available("formats", 1_000, 2);
    String group = done.events().get(0).groupKey();
    List<Event> ofGroup = done.events().stream().filter(e -> e.groupKey().equals(group)).toList();

    String csv = stdout("read", done.job().id().value(), "--format", "csv");
    String raw = stdout("read", done.job().id().value(), "--format", "raw", "--group", group);

    List<String> rows = csv.lines().toList();
    assertThat(rows.get(0)).isEqualTo("job,partition,sequence,eventId,eventTime,type,group,schemaVersion,payloadEncoding,payload");
    assertThat(rows).hasSize(1 + 1_000);
    assertThat(raw.lines().toList()).containsExactlyInAnyOrderElementsOf(ofGroup.stream().map(e -> new String(e.payload(), StandardCharsets.UTF_8)).toList());
  }

  @Test
  void csvQuotesFieldsThatNeedItAndBinaryPayloadsGoAsBase64() throws Exception {
    JobId id = JobId.of("job-csv");
    Event text = new Event(id, 0, "e,1", T, "say \"hi\"", "g", 1, "line one\nline two".getBytes(StandardCharsets.UTF_8));
    Event binary = new Event(id, 1, "e2", T, "t", "g", 1, new byte[] {(byte) 0xff, 0, (byte) 0xc3});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EventFormat.Writer w = EventFormat.csv.open(out);
    w.write(text);
    w.write(binary);
    w.finish();

    String written = out.toString(StandardCharsets.UTF_8);
    assertThat(written).contains("job-csv,0,0,\"e,1\"," + T + ",\"say \"\"hi\"\"\",g,1,utf8,\"line one\nline two\"\r\n")
        .endsWith("job-csv,0,1,e2," + T + ",t,g,1,base64," + Base64.getEncoder().encodeToString(binary.payload()) + "\r\n");
  }

  @Test
  void readRefusesBadInputInOneLineWithExitTwo(@TempDir Path dir) throws Exception {
    Produced done = available("refusals", 200, 1);
    String id = done.job().id().value();
    Path locked = Files.createDirectory(dir.resolve("locked"));
    locked.toFile().setWritable(false);

    List<Ran> refused = List.of(
        spillway("read", "job-nobody-opened"),
        spillway("read", id, "--format", "parquet"),
        spillway("read", id, "--out", dir.resolve("no/such/dir/x.jsonl").toString()),
        spillway("read", id, "--out", dir.toString()),
        spillway("jobs", "show", "not a job id!"),
        spillway("jobs", "list", "--since", "500d"),
        spillway("jobs", "wait", id, "--timeout", "soon"),
        spillway("verify", "job-nobody-opened"),
        spillway("dead-letters", "show", "no-at-sign"),
        spillway("dead-letters", "list", "--limit", "0"));

    for (Ran r : refused) {
      assertThat(r.exit()).as(r.err()).isEqualTo(2);
      assertThat(r.err().lines().filter(l -> !l.startsWith("try '")).count()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
    }
    assertThat(refused.get(0).err()).contains("JOB: \"job-nobody-opened\"").contains("there is none");
    assertThat(refused.get(1).err()).contains("--format").contains("parquet");
    assertThat(refused.get(2).err()).contains("--out").contains("does not");
    Ran unknownToFile = spillway("read", "job-nobody-opened", "--out", dir.resolve("y.jsonl").toString());
    assertThat(unknownToFile.exit()).isEqualTo(2);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).as("a refused read leaves no file, partial or not").containsExactly(locked);
    }
    // /proc takes no new files, whoever asks (root too)
    Ran unwritable = spillway("read", id, "--out", "/proc/spillway-export.jsonl");
    assertThat(unwritable.exit()).as(unwritable.err()).isEqualTo(2);
    assertThat(unwritable.err()).contains("--out").contains("a file this process can write").hasLineCount(1);
    if (!"root".equals(System.getProperty("user.name"))) {
      // root writes into a read-only directory all the same: only another user sees this check
      Ran locked2 = spillway("read", id, "--out", locked.resolve("x.jsonl").toString());
      assertThat(locked2.exit()).isEqualTo(2);
      assertThat(locked2.err()).contains("not writable");
    }
  }

  @Test
  void verifyNamesEachCorruptAndMissingChunkByKeyAndExitsThree() throws Exception {
    // chunks of ~20 KB, so that each group has several
    spillway.close();
    spillway = Spillway.inMemory(SpillwayConfig.defaults().withAssembler(
        new io.spillway.domain.chunk.ChunkAssembler.Settings(0.05, 0.04, 256 * 1024 * 1024, Duration.ofSeconds(30))));
    spillway.consumer().start();
    Produced done = available("verified", 20_000, 2);
    JobId id = done.job().id();
    assertThat(spillway("verify", id.value()).exit()).isZero();
    InMemoryChunks chunks = (InMemoryChunks) spillway.services().chunks();
    List<Chunk> stored = new ArrayList<>();
    for (int b = 0; b < 2; b++) {
      try (Stream<Chunk> s = chunks.read(id, b, Optional.empty())) {
        s.forEach(stored::add);
      }
    }
    // the first chunk of a group that has a second: its absence is a gap that names its key
    Chunk gap = stored.stream().filter(c -> c.id().sequence() == 0
        && stored.stream().anyMatch(o -> o.id().groupKey().equals(c.id().groupKey()) && o.id().sequence() == 1)).findFirst().orElseThrow();
    Chunk corrupt = stored.stream().filter(c -> !c.equals(gap)).findFirst().orElseThrow();
    byte[] flipped = corrupt.record().clone();
    flipped[flipped.length - 1] ^= 0x40;
    chunks.corrupt(corrupt, flipped);
    chunks.remove(gap.id());

    Ran verify = spillway("verify", id.value(), "--json");

    assertThat(verify.exit()).isEqualTo(OperatorOutput.EXIT_INCOMPLETE);
    JsonNode problems = verify.json().get("problems");
    assertThat(problems).anySatisfy(p -> {
      assertThat(p.get("kind").asText()).isEqualTo("CORRUPT");
      assertThat(p.get("key").asText()).isEqualTo(io.spillway.domain.chunk.StoredItemLayout.partitionKey(corrupt.id()) + " / "
          + io.spillway.domain.chunk.StoredItemLayout.sortKey(corrupt.id()));
    });
    assertThat(problems).anySatisfy(p -> {
      assertThat(p.get("kind").asText()).isEqualTo("MISSING");
      assertThat(p.get("key").asText()).endsWith(io.spillway.domain.chunk.StoredItemLayout.sortKey(gap.id()));
    });
    assertThat(verify.json().get("sound").asBoolean()).isFalse();
    assertThat(verify.json().get("chunksSound").asLong()).isEqualTo(stored.size() - 2);
  }

  @Test
  void deadLettersAreListedShownAndReplayedStoredOnceOrKeptWithANewReason() throws Exception {
    // a chunk whose job was not in this table when it arrived, and a record that is no chunk at all
    Chunk orphan;
    JobId orphanJob;
    try (Spillway elsewhere = Spillway.inMemory(SpillwayConfig.defaults())) {
      Job job = elsewhere.producer().open("orphan", JobClass.STANDARD, 1);
      elsewhere.producer().appendAll(job.id(), new AnalyticsEvents(job.id(), 1, T).next(50));
      elsewhere.producer().seal(job.id());
      elsewhere.consumer().start();
      assertThat(elsewhere.reader().await(job.id(), Duration.ofSeconds(30))).isEqualTo(JobStatus.AVAILABLE);
      try (Stream<Chunk> s = elsewhere.services().chunks().read(job.id(), 0, Optional.empty())) {
        orphan = s.findFirst().orElseThrow();
      }
      orphanJob = job.id();
    }
    spillway.services().deadLetters().add(DeadLetter.of("shardId-000000000001", "0042", DeadLetter.UNKNOWN_JOB, "no job record", orphan.record(), T));
    spillway.services().deadLetters().add(DeadLetter.of("shardId-000000000002", "0043", "MALFORMED", "bad magic", "not a chunk".getBytes(StandardCharsets.UTF_8), T.plusSeconds(1)));

    JsonNode listed = spillway("dead-letters", "list", "--json").json();
    Ran shown = spillway("dead-letters", "show", "shardId-000000000001@0042");
    assertThat(listed.get("count").asLong()).isEqualTo(2);
    assertThat(listed.get("deadLetters")).extracting(d -> d.get("id").asText()).containsExactly("shardId-000000000001@0042", "shardId-000000000002@0043");
    assertThat(shown.out()).contains("reason    UNKNOWN_JOB").contains("header    chunk " + orphan.id()).contains("  0000  ");

    // the fix: the job record is restored, with the id and buckets the chunk was cut for
    spillway.producer().open(new OpenJob(Optional.of(orphanJob), "orphan", JobClass.STANDARD, 1));
    Ran replay = spillway("dead-letters", "replay", "--all", "--json");

    assertThat(replay.exit()).isEqualTo(OperatorOutput.EXIT_INCOMPLETE);
    assertThat(replay.json().get("replayed")).extracting(r -> r.get("outcome").asText()).containsExactly("STORED", "STILL_POISON");
    assertThat(spillway.services().chunks().count(orphanJob, 0)).isEqualTo(1);
    DeadLetter kept = spillway.services().deadLetters().find("shardId-000000000002", "0043").orElseThrow();
    assertThat(kept.reason()).isNotEqualTo("MALFORMED_AGAIN");
    assertThat(kept.detail()).startsWith("replayed ").contains("\nMALFORMED: bad magic");
    assertThat(spillway.services().deadLetters().find("shardId-000000000001", "0042")).as("a stored record's letter is gone").isEmpty();
    assertThat(spillway("dead-letters", "replay", "shardId-000000000001@0042").exit()).as("replaying it again: no such letter").isEqualTo(2);
    assertThat(spillway("dead-letters", "list", "--json").json().get("count").asLong()).isEqualTo(1);
  }

  private static List<Event> parsed(List<String> lines) throws Exception {
    List<Event> events = new ArrayList<>();
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      byte[] payload = n.has("payload") ? n.get("payload").asText().getBytes(StandardCharsets.UTF_8) : Base64.getDecoder().decode(n.get("payloadBase64").asText());
      events.add(new Event(JobId.of(n.get("job").asText()), n.get("sequence").asLong(), n.get("eventId").asText(), Instant.parse(n.get("eventTime").asText()),
          n.get("type").asText(), n.get("group").asText(), n.get("schemaVersion").asInt(), payload));
    }
    return events;
  }

  private String stdout(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      Ran r = spillway(args);
      assertThat(r.exit()).as(r.err()).isZero();
    } finally {
      System.setOut(original);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }

  @Test
  void produceWritesOnePartitionPerTaskAndTheLastSealsTheJobThatJobsShowListsByPartition() throws Exception {
    Ran first = spillway("produce", "job-tasks", "--partition", "1", "--partitions", "2", "--events", "3000", "--json");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.json().get("opened").asText()).isEqualTo("NEW");
    assertThat(first.json().get("partitionEvents").asLong()).isEqualTo(3_000);
    assertThat(first.json().get("jobStatus").asText()).isEqualTo("PRODUCING");

    JsonNode half = spillway("jobs", "show", "job-tasks", "--json").json();
    assertThat(half.get("partitions").asInt()).isEqualTo(2);
    assertThat(half.get("resumable").asBoolean()).isTrue();
    assertThat(half.get("partitionRecords")).extracting(n -> n.get("partition").asInt() + ":" + n.get("state").asText()).containsExactly("1:SEALED");
    assertThat(half.get("partitionsNotOpened").asInt()).isEqualTo(1);
    assertThat(spillway("jobs", "show", "job-tasks").out()).contains("partitions 2 (resumable): 1 sealed, 0 open, 1 not opened yet");

    Ran again = spillway("produce", "job-tasks", "--partition", "1", "--partitions", "2", "--events", "3000", "--json");
    assertThat(again.json().get("opened").asText()).isEqualTo("SEALED");
    assertThat(again.json().get("duplicates").asLong()).isEqualTo(3_000);
    Ran wrong = spillway("produce", "job-tasks", "--partition", "0", "--partitions", "3");
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.err().strip()).contains("--partitions").contains("the job's own 2").hasLineCount(1);
    assertThat(spillway("produce", "job-tasks", "--partition", "2", "--partitions", "2").err()).contains("--partition").contains("0..1");

    Ran last = spillway("produce", "job-tasks", "--partition", "0", "--partitions", "2", "--events", "2000", "--json");
    assertThat(last.json().get("jobStatus").asText()).isIn("SEALED", "AVAILABLE");
    assertThat(spillway.reader().await(new JobId("job-tasks"), Duration.ofSeconds(30))).isEqualTo(JobStatus.AVAILABLE);
    assertThat(spillway.reader().manifest(new JobId("job-tasks")).orElseThrow().eventCount()).isEqualTo(5_000);
    String read = stdout("read", "job-tasks");
    assertThat(read.lines().count()).isEqualTo(5_000);
    assertThat(read.lines().filter(l -> l.contains("\"partition\":1,")).count()).isEqualTo(3_000);
  }

  @Test
  void aPartitionWithoutProgressShowsAsStalledInJobQueries() throws Exception {
    OpenJob command = new OpenJob(java.util.Optional.of(new JobId("job-hung")), "hung", JobClass.STANDARD, 2).withPartitions(3);
    spillway.producer().create(command);
    spillway.producer().openPartition(new JobId("job-hung"), 2);

    Ran listed = spillway("jobs", "list", "--stalled", "--stalled-after", "1ms", "--json");
    assertThat(listed.exit()).as(listed.err()).isZero();
    assertThat(listed.json().get("jobs")).extracting(j -> j.get("id").asText()).containsExactly("job-hung");
    assertThat(listed.json().get("jobs").get(0).get("stalledPartitions")).extracting(n -> n.get("partition").asInt()).containsExactly(2);
    assertThat(spillway("jobs", "list", "--stalled", "--json").json().get("jobs")).as("not stalled for the default 15m").isEmpty();
    assertThat(spillway("jobs", "show", "job-hung", "--stalled-after", "1ms", "--json").json().get("stalledPartitions"))
        .extracting(JsonNode::asInt).containsExactly(2);
    Ran refused = spillway("jobs", "list", "--stalled", "--status", "AVAILABLE");
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err().strip()).contains("--status").hasLineCount(1);
  }

  @Test
  void failingAJobDeletesItsStoredChunksAndTheReaderSaysWhy() throws Exception {
    Job job = spillway.producer().open("doomed", JobClass.STANDARD, 3);
    // enough events to fill chunks (about 10,000 events of a group make one) before any linger cut
    spillway.producer().appendAll(job.id(), new AnalyticsEvents(job.id(), 4, T).next(150_000));
    spillway.producer().flush(Duration.ofSeconds(10));
    // every chunk cut so far reaches the table while the job is still producing (the rest waits in the assembler)
    long cut = spillway.producer().stats().chunksCut();
    assertThat(cut).isPositive();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (spillway.operator().job(job.id()).stored() < cut && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    long stored = spillway.operator().job(job.id()).stored();
    assertThat(stored).isEqualTo(cut);

    Ran failed = spillway("jobs", "fail", job.id().value(), "--json");
    assertThat(failed.json().get("chunksDeleted").asLong()).isEqualTo(stored);
    assertThat(spillway.operator().job(job.id()).stored()).isZero();
    Ran read = spillway("read", job.id().value());
    assertThat(read.err()).contains("FAILED").contains("given up on").contains("chunks are deleted").hasLineCount(1);
  }
}
