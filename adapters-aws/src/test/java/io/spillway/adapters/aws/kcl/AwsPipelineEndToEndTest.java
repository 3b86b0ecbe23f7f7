package io.spillway.adapters.aws.kcl;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.adapters.aws.LocalStandIns;
import io.spillway.adapters.aws.dynamodb.DynamoDbChunks;
import io.spillway.adapters.aws.dynamodb.DynamoDbDeadLetters;
import io.spillway.adapters.aws.dynamodb.DynamoDbJobs;
import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.adapters.aws.kinesis.KinesisChunkStream;
import io.spillway.application.codec.Codecs;
import io.spillway.application.port.in.OpenJob;
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
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.testing.DomainArbitraries;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.kinesis.model.Consumer;

/**
 * The whole pipeline on the real SDK and KCL: producer → kinesis-mock → KCL worker (leases in
 * DynamoDB Local) → DynamoDB Local → reader. Slow by nature: KCL's first start on an empty lease
 * table takes tens of seconds of fixed waits. Once with polling retrieval and once with enhanced
 * fan-out (kinesis-mock serves SubscribeToShard since 0.6).
 */
class AwsPipelineEndToEndTest {

  @ParameterizedTest
  @EnumSource(KclConsumer.Retrieval.class)
  void jobsGoThroughTheRealSdkAndKclAndReadBackExactly(KclConsumer.Retrieval retrieval) throws Exception {
    SpillwayTable table = LocalStandIns.freshTable();
    String stream = LocalStandIns.freshStream(3);
    var clock = LocalStandIns.wallClock();
    Codecs codecs = Codecs.standard();
    DynamoDbJobs jobs = new DynamoDbJobs(table);
    DynamoDbChunks chunks = new DynamoDbChunks(table, clock, Optional.empty());
    AvailabilityCheck availability = new AvailabilityCheck(jobs, chunks, clock);
    IntakeService intake = new IntakeService(jobs, () -> { throw new IllegalStateException("ids are given"); }, clock,
        new ChunkPublisher(new KinesisChunkStream(LocalStandIns.kinesis(), stream), clock, PublisherSettings.defaults()),
        codecs.writer(), ChunkAssembler.Settings.defaults(), availability, Duration.ofMinutes(2));
    IngestService ingest = new IngestService(chunks, new DynamoDbDeadLetters(table), new AvailabilityCheck(jobs, chunks, clock),
        new WriteRateGovernor(clock, 100_000), codecs, clock, IngestSettings.defaults().withWriteUnitsPerSecond(100_000));

    List<JobId> ids = new ArrayList<>();
    List<List<Event>> produced = new ArrayList<>();
    for (int j = 0; j < 3; j++) {
      JobId id = new JobId("e2e-" + j);
      intake.open(new OpenJob(Optional.of(id), "end to end " + j, JobClass.STANDARD, 2));
      List<Event> events = new ArrayList<>();
      for (int i = 0; i < 3_000; i++) {
        events.add(new Event(id, i, "ev-" + j + "-" + i, Instant.parse("2026-01-01T00:00:00Z").plusMillis(i), "t" + (i % 5), "g" + (i % 4), 1,
            ("{\"n\":" + i + ",\"pad\":\"" + new String(DomainArbitraries.jsonLike(i, 120), StandardCharsets.UTF_8) + "\"}")
                .getBytes(StandardCharsets.UTF_8)));
      }
      intake.appendAll(id, events);
      intake.seal(id);
      ids.add(id);
      produced.add(events);
    }

    String application = "spillway-e2e-" + stream;
    try (KclConsumer worker = KclConsumer.start(ingest, KclConsumer.Settings.local(stream, application, "worker-1").withRetrieval(retrieval),
        LocalStandIns.kinesis(), LocalStandIns.dynamoAsync(), LocalStandIns.cloudWatch())) {
      LocalStandIns.await(Duration.ofMinutes(4), () -> ids.stream().allMatch(id -> jobs.find(id).orElseThrow().status() == JobStatus.AVAILABLE));
    }

    // fan-out reads through a stream consumer that KCL registered under the application's name; polling registers none
    String streamArn = LocalStandIns.kinesis().describeStreamSummary(r -> r.streamName(stream)).get().streamDescriptionSummary().streamARN();
    List<String> registered = LocalStandIns.kinesis().listStreamConsumers(r -> r.streamARN(streamArn)).get().consumers().stream()
        .map(Consumer::consumerName).toList();
    assertThat(registered).isEqualTo(retrieval == KclConsumer.Retrieval.ENHANCED_FAN_OUT ? List.of(application) : List.of());

    try (DatasetService datasets = new DatasetService(jobs, chunks, codecs, 2)) {
      for (int j = 0; j < ids.size(); j++) {
        List<Event> back = new ArrayList<>();
        datasets.read(ids.get(j), Optional.empty(), back::add);
        back.sort(Comparator.comparingLong(Event::sequence));
        assertThat(back).containsExactlyElementsOf(produced.get(j));
      }
    }
    assertThat(ingest.stats().deadLettered()).isZero();
    assertThat(ingest.stats().chunksWritten()).isPositive();
  }
}
