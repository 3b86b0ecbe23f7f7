package io.spillway.adapters.aws;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.adapters.aws.dynamodb.DynamoDbChunks;
import io.spillway.adapters.aws.dynamodb.DynamoDbJobs;
import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.adapters.aws.kinesis.KinesisChunkStream;
import io.spillway.application.contract.ContractFixtures;
import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.domain.chunk.Chunk;
import io.spillway.bootstrap.standins.LocalDynamoDbServer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A failure no retry fixes crosses a port as a {@link PermanentStoreException} naming the resource
 * — never as throttling, never as a raw SDK exception — on the stand-ins.
 */
class FailuresAtTheEdgeTest {

  @Test
  void publishingToAStreamThatDoesNotExistIsPermanentAndNamesTheStream() {
    KinesisChunkStream stream = new KinesisChunkStream(LocalStandIns.kinesis(), "spillway-test-no-such-stream");
    List<Chunk> chunks = List.of(ContractFixtures.firstEuChunk());

    assertThatThrownBy(() -> stream.publish(chunks))
        .isInstanceOf(PermanentStoreException.class)
        .hasMessageContaining("spillway-test-no-such-stream")
        .hasMessageContaining("ResourceNotFoundException")
        .hasMessageContaining("cannot succeed on retry");
  }

  @Test
  void aTableThatIsGoneIsPermanentForPutsReadsCountsAndJobs() throws Exception {
    // over HTTP, as in production: the embedded DynamoDB Local answers some calls with its own exception types
    try (LocalDynamoDbServer server = LocalDynamoDbServer.start(0);
        DynamoDbClient client = DynamoDbClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
      SpillwayTable table = new SpillwayTable(client, "spillway-test-gone");
      table.createIfAbsent(new SpillwayTable.Billing.OnDemand());
      client.deleteTable(r -> r.tableName(table.name()));
      assertEveryCallIsPermanent(table);
    }
  }

  private static void assertEveryCallIsPermanent(SpillwayTable table) {
    DynamoDbChunks chunks = new DynamoDbChunks(table, LocalStandIns.wallClock(), Optional.empty());
    DynamoDbJobs jobs = new DynamoDbJobs(table);
    Chunk chunk = ContractFixtures.firstEuChunk();

    assertThatThrownBy(() -> chunks.putIfAbsent(chunk)).isInstanceOf(PermanentStoreException.class).hasMessageContaining(table.name());
    // a read fetches its pages as the stream is consumed: the failure is sorted there too
    assertThatThrownBy(() -> chunks.read(chunk.id().jobId(), 0, Optional.empty()).toList())
        .isInstanceOf(PermanentStoreException.class).hasMessageContaining(table.name());
    assertThatThrownBy(() -> chunks.count(chunk.id().jobId(), 0)).isInstanceOf(PermanentStoreException.class);
    assertThatThrownBy(jobs::sealed).isInstanceOf(PermanentStoreException.class).hasMessageContaining(table.name());
    assertThatThrownBy(() -> jobs.find(chunk.id().jobId())).isInstanceOf(PermanentStoreException.class);
  }
}
