package io.spillway.adapters.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.adapters.aws.LocalStandIns;
import io.spillway.application.codec.Codecs;
import io.spillway.application.contract.ContractFixtures;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.testing.DomainArbitraries;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.spillway.bootstrap.standins.LocalDynamoDbServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * What deciding that a job is complete costs on DynamoDB (Local), in capacity units as DynamoDB
 * reports them with ReturnConsumedCapacity: every write made only so the job can be found complete
 * (the keys-only index's share of each chunk put, and the shared count on the job record, added to
 * once per chunk here: the worst case, a consumer batch of one chunk) plus the sweep's recount of
 * every bucket through the index, against the write units of the job's chunk puts.
 */
class AvailabilityDetectionCostTest {
  private static final JobId JOB = JobId.of("job-availability-cost");
  private static final int BUCKETS = 4;
  private static final int CHUNKS = 120;
  private static final int PAYLOAD_BYTES = 380_000;

  /** Near-limit chunks (incompressible payloads): what a large job writes. */
  private static List<Chunk> nearLimitChunks() {
    ChunkAssembler assembler = new ChunkAssembler(JOB, BUCKETS, Codecs.standard().writer(), ChunkAssembler.Settings.defaults());
    List<Chunk> out = new ArrayList<>();
    for (int i = 0; out.size() < CHUNKS; i++) {
      out.addAll(assembler.add(ContractFixtures.event(JOB, i, "g" + (i % 7), DomainArbitraries.randomBytes(i, PAYLOAD_BYTES)), ContractFixtures.T0));
      out.addAll(assembler.flushAll());
    }
    return out.subList(0, CHUNKS);
  }

  @Test
  void detectingThatAJobIsCompleteCostsUnderOnePercentOfItsWrites() {
    SpillwayTable table = LocalStandIns.freshTable();
    DynamoDbChunks chunks = new DynamoDbChunks(table, LocalStandIns.wallClock(), Optional.empty());
    DynamoDbJobs jobs = new DynamoDbJobs(table);
    assertThat(jobs.create(Job.submitted(JOB, "availability cost", JobClass.STANDARD, BUCKETS, ContractFixtures.T0))).isTrue();
    List<Chunk> all = nearLimitChunks();
    assertThat(all).allSatisfy(c -> assertThat(c.storedItemSize()).isBetween(PAYLOAD_BYTES, StoredItemLayout.ITEM_LIMIT_BYTES));

    double jobWriteUnits = 0;
    for (Chunk c : all) {
      PutOutcome outcome = chunks.putIfAbsent(c);
      assertThat(outcome).as("put %s", c.id()).isInstanceOf(PutOutcome.Written.class);
      jobWriteUnits += ((PutOutcome.Written) outcome).writeUnits();
      assertThat(jobs.addStored(JOB, 1)).isPresent();
    }
    double indexWriteUnits = chunks.consumed().indexWriteUnits();
    double counterWriteUnits = jobs.storedCountWriteUnits();

    long counted = 0;
    for (int b = 0; b < BUCKETS; b++) {
      counted += chunks.count(JOB, b);
    }
    DynamoDbChunks.Consumed recount = chunks.consumed();

    assertThat(counted).isEqualTo(CHUNKS);
    assertThat(indexWriteUnits).as("every put also writes the index").isGreaterThanOrEqualTo(CHUNKS);
    assertThat(counterWriteUnits).as("every count on the job record is billed").isGreaterThanOrEqualTo(CHUNKS);
    assertThat(recount.countReadUnits()).as("the recount's reads are reported").isPositive();
    double detection = indexWriteUnits + counterWriteUnits + recount.countReadUnits();
    double share = detection / jobWriteUnits;
    System.out.printf("availability detection for a job of %d chunks (%d buckets, %.0f KB each): %.1f RCU (%d queries) + %.0f WCU"
            + " (%.0f index, %.0f count) against %.0f WCU of puts (%.3f %%)%n",
        CHUNKS, BUCKETS, all.stream().mapToInt(Chunk::storedItemSize).average().orElseThrow() / 1024, recount.countReadUnits(),
        recount.countQueries(), indexWriteUnits + counterWriteUnits, indexWriteUnits, counterWriteUnits, jobWriteUnits, 100 * share);
    assertThat(share).as("detection's units over the job's write units").isLessThan(0.01);

    // the old way: a consistent Query of the table, which reads every chunk's bytes
    long countedInTable = 0;
    for (int b = 0; b < BUCKETS; b++) {
      countedInTable += chunks.countInTable(JOB, b);
    }
    double tableReadUnits = chunks.consumed().countReadUnits() - recount.countReadUnits();
    System.out.printf("the same recount by a Query of the table: %.1f RCU (%.2f %% of the job's write units), %.0fx the index's %.1f RCU%n",
        tableReadUnits, 100 * tableReadUnits / jobWriteUnits, tableReadUnits / recount.countReadUnits(), recount.countReadUnits());
    assertThat(countedInTable).isEqualTo(CHUNKS);
    assertThat(tableReadUnits).as("the table's count reads the chunks' bytes").isGreaterThan(100 * recount.countReadUnits());
  }

  /** 200,000 analytics-shaped events (~300-byte JSON payloads, 10 groups), chunked as a producer cuts them. */
  private static List<Chunk> analyticsJob(JobId job, int buckets) {
    String[] categories = {"electronics", "grocery", "apparel", "travel", "media", "home", "sports", "beauty", "toys", "automotive"};
    java.util.SplittableRandom random = new java.util.SplittableRandom(200_000);
    ChunkAssembler assembler = new ChunkAssembler(job, buckets, Codecs.standard().writer(), ChunkAssembler.Settings.defaults());
    List<Chunk> out = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      int entity = random.nextInt(10_000);
      String payload = "{\"entity\":\"ent-" + entity + "\",\"category\":\"" + categories[entity % 10] + "\",\"score\":0." + (10_000 + random.nextInt(90_000))
          + ",\"amount\":" + (100 + random.nextInt(9_900)) + "." + (10 + random.nextInt(90)) + ",\"count\":" + random.nextInt(1_000)
          + ",\"model\":\"churn-v3\",\"window\":\"P1D\",\"currency\":\"EUR\",\"region\":\"eu-west\",\"confidence\":0." + (100 + random.nextInt(900)) + "}";
      out.addAll(assembler.add(ContractFixtures.event(job, i, categories[entity % 10], payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          ContractFixtures.T0));
    }
    out.addAll(assembler.flushAll());
    return out;
  }

  @Test
  void detectingThatA200000EventJobIsCompleteCostsUnderOnePercentOfItsWrites() {
    JobId job = JobId.of("job-availability-cost-200k");
    SpillwayTable table = LocalStandIns.freshTable();
    DynamoDbChunks chunks = new DynamoDbChunks(table, LocalStandIns.wallClock(), Optional.empty());
    DynamoDbJobs jobs = new DynamoDbJobs(table);
    assertThat(jobs.create(Job.submitted(job, "200k events", JobClass.STANDARD, BUCKETS, ContractFixtures.T0))).isTrue();
    List<Chunk> all = analyticsJob(job, BUCKETS);

    double jobWriteUnits = 0;
    for (Chunk c : all) {
      jobWriteUnits += ((PutOutcome.Written) chunks.putIfAbsent(c)).writeUnits();
      // the worst case again: one count on the job record per chunk (consumers add once per batch)
      assertThat(jobs.addStored(job, 1)).isPresent();
    }
    double indexWriteUnits = chunks.consumed().indexWriteUnits();
    double counterWriteUnits = jobs.storedCountWriteUnits();
    long counted = 0;
    for (int b = 0; b < BUCKETS; b++) {
      counted += chunks.count(job, b);
    }
    double recountReadUnits = chunks.consumed().countReadUnits();
    double share = (indexWriteUnits + counterWriteUnits + recountReadUnits) / jobWriteUnits;
    System.out.printf("availability detection for a job of 200,000 events in %d chunks: %.0f WCU of puts; %.0f WCU index + %.0f WCU counts"
        + " + %.1f RCU recount = %.3f %%%n", all.size(), jobWriteUnits, indexWriteUnits, counterWriteUnits, recountReadUnits, 100 * share);

    assertThat(counted).isEqualTo(all.size());
    assertThat(all.size()).as("a job of many chunks, not one").isGreaterThan(10);
    assertThat(share).isLessThan(0.01);
  }

  @Test
  void aProvisionedTableGetsTheKeysIndexWithTheTablesUnits() {
    SpillwayTable table = new SpillwayTable(LocalStandIns.dynamo(), "spillway-test-provisioned-" + System.nanoTime());
    table.createIfAbsent(new SpillwayTable.Billing.Provisioned(7, 11));

    var index = table.client().describeTable(r -> r.tableName(table.name())).table().globalSecondaryIndexes();
    assertThat(index).singleElement().satisfies(i -> {
      assertThat(i.indexName()).isEqualTo(SpillwayTable.KEYS_INDEX);
      assertThat(i.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyType()).containsExactly("pk:HASH", "sk:RANGE");
      assertThat(i.projection().projectionType()).isEqualTo(ProjectionType.KEYS_ONLY);
      assertThat(i.provisionedThroughput().readCapacityUnits()).isEqualTo(7);
      assertThat(i.provisionedThroughput().writeCapacityUnits()).isEqualTo(11);
    });
  }

  @Test
  void aTableCreatedWithoutTheIndexIsCountedByQueryingTheTable() throws Exception {
    // over HTTP, as in production: DynamoDB's own answer to a query of a missing index
    try (LocalDynamoDbServer server = LocalDynamoDbServer.start(0);
        DynamoDbClient client = DynamoDbClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
      countsWithoutTheIndex(new SpillwayTable(client, "spillway-test-no-index"));
    }
  }

  private static void countsWithoutTheIndex(SpillwayTable table) {
    table.client().createTable(r -> r.tableName(table.name()).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(
            AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
            AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
        .keySchema(
            KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
    DynamoDbChunks chunks = new DynamoDbChunks(table, LocalStandIns.wallClock(), Optional.empty());
    List<Chunk> all = ContractFixtures.jobChunks();
    for (Chunk c : all) {
      assertThat(chunks.putIfAbsent(c)).isEqualTo(new PutOutcome.Written(c.writeUnits()));
    }
    assertThat(chunks.consumed().indexWriteUnits()).isZero();

    for (int round = 0; round < 2; round++) {
      for (int b = 0; b < ContractFixtures.BUCKETS; b++) {
        assertThat(((Chunks) chunks).count(ContractFixtures.JOB, b)).as("bucket %d", b).isEqualTo(ContractFixtures.inBucket(all, b).size());
      }
    }
    assertThat(chunks.consumed().countQueries()).isEqualTo(2L * ContractFixtures.BUCKETS);
  }
}
