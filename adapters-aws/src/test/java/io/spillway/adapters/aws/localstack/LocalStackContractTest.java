package io.spillway.adapters.aws.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.adapters.aws.dynamodb.DynamoDbChunks;
import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.adapters.aws.kinesis.KinesisChunkStream;
import io.spillway.adapters.aws.kinesis.KinesisStreams;
import io.spillway.application.codec.Codecs;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.containers.localstack.LocalStackContainer.Service;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * The adapters against LocalStack, for machines with a Docker engine; where there is none, JUnit
 * reports this class as skipped ("disabledWithoutDocker").
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackContractTest {
  @Container
  static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
      .withServices(Service.DYNAMODB, Service.KINESIS);

  @Test
  void aChunkGoesThroughKinesisAndIsStoredOnceInDynamoDb() {
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
    Region region = Region.of(LOCALSTACK.getRegion());
    try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(LOCALSTACK.getEndpoint()).region(region).credentialsProvider(credentials).build();
         KinesisAsyncClient kinesis = KinesisAsyncClient.builder().endpointOverride(LOCALSTACK.getEndpoint()).region(region).credentialsProvider(credentials).build()) {
      SpillwayTable table = new SpillwayTable(dynamo, "spillway");
      table.createIfAbsent(new SpillwayTable.Billing.OnDemand());
      new KinesisStreams(kinesis).createIfAbsent("spillway-events", 2, Duration.ofHours(24));
      JobId job = new JobId("localstack");
      ChunkAssembler assembler = new ChunkAssembler(job, 2, Codecs.standard().writer(), ChunkAssembler.Settings.defaults());
      assembler.add(new Event(job, 0, "e-0", Instant.EPOCH, "t", "g", 1, "{}".getBytes()), Instant.EPOCH);
      Chunk chunk = assembler.flushAll().get(0);

      List<PublishOutcome> published = new KinesisChunkStream(kinesis, "spillway-events").publish(List.of(chunk));
      Clock clock = new Clock() {
        @Override
        public Instant now() {
          return Instant.EPOCH;
        }

        @Override
        public void sleep(Duration d) {}
      };
      DynamoDbChunks chunks = new DynamoDbChunks(table, clock, Optional.empty());

      assertThat(published).singleElement().isInstanceOf(PublishOutcome.Accepted.class);
      assertThat(chunks.putIfAbsent(chunk)).isInstanceOf(PutOutcome.Written.class);
      assertThat(chunks.putIfAbsent(chunk)).isInstanceOf(PutOutcome.AlreadyPresent.class);
      assertThat(chunks.count(job, chunk.id().bucket())).isEqualTo(1);
    }
  }
}
