package io.spillway.application.contract;

import static io.spillway.application.contract.ContractFixtures.BIG_JOB;
import static io.spillway.application.contract.ContractFixtures.BUCKETS;
import static io.spillway.application.contract.ContractFixtures.EU;
import static io.spillway.application.contract.ContractFixtures.EU_WEST;
import static io.spillway.application.contract.ContractFixtures.FULLWIDTH_EU;
import static io.spillway.application.contract.ContractFixtures.GLOBE_EU;
import static io.spillway.application.contract.ContractFixtures.GROUPS;
import static io.spillway.application.contract.ContractFixtures.JOB;
import static io.spillway.application.contract.ContractFixtures.OTHER_JOB;
import static io.spillway.application.contract.ContractFixtures.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.application.port.out.StoredItem;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.domain.job.JobId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Chunks} adapter must do, in memory or on DynamoDB (Local): conditional puts
 * where the first write wins, write units charged per item, and reads of a bucket in sort-key order
 * (group, then chunk sequence; strings compared as UTF-8 bytes) that never leak other groups, buckets
 * or jobs. Throttling is not part of the contract (DynamoDB Local never throttles); the store under
 * test must have room for the fixtures' few megabytes.
 */
public abstract class ChunksContract {

  /** A new, empty store. */
  protected abstract Chunks newChunks();

  private static List<Chunk> shuffled(List<Chunk> chunks) {
    List<Chunk> copy = new ArrayList<>(chunks);
    Collections.shuffle(copy, new Random(42));
    return copy;
  }

  private static List<Chunk> read(Chunks chunks, JobId job, int bucket, Optional<String> group) {
    try (Stream<Chunk> s = chunks.read(job, bucket, group)) {
      return s.toList();
    }
  }

  private static void putAll(Chunks chunks, List<Chunk> all) {
    for (Chunk c : all) {
      assertThat(chunks.putIfAbsent(c)).as("put %s", c.id()).isInstanceOf(PutOutcome.Written.class);
    }
  }

  @Test
  void aPutChunkReadsBackByteForByte() {
    Chunks chunks = newChunks();
    Chunk chunk = ContractFixtures.firstEuChunk();

    PutOutcome outcome = chunks.putIfAbsent(chunk);

    assertThat(outcome).isEqualTo(new PutOutcome.Written(chunk.writeUnits()));
    assertThat(outcome.isDurable()).isTrue();
    List<Chunk> read = read(chunks, JOB, chunk.id().bucket(), Optional.empty());
    assertThat(read).containsExactly(chunk);
    assertThat(read.get(0).record()).isEqualTo(chunk.record());
    assertThat(read.get(0).header()).isEqualTo(chunk.header());
    assertThat(read.get(0).payloadOffset()).isEqualTo(chunk.payloadOffset());
  }

  @Test
  void writtenChunksAreChargedTheirWriteUnits() {
    Chunks chunks = newChunks();
    List<Chunk> all = ContractFixtures.jobChunks();
    assertThat(all).as("the fixture has multi-unit chunks").anySatisfy(c -> assertThat(c.writeUnits()).isGreaterThan(2));

    for (Chunk c : all) {
      assertThat(chunks.putIfAbsent(c)).as("put %s", c.id()).isEqualTo(new PutOutcome.Written(c.writeUnits()));
    }
  }

  @Test
  void aRedeliveredChunkIsAlreadyPresentAndChargedItsWriteUnits() {
    Chunks chunks = newChunks();
    Chunk chunk = ContractFixtures.jobChunks().stream().filter(c -> c.id().groupKey().equals(US)).findFirst().orElseThrow();
    chunks.putIfAbsent(chunk);

    PutOutcome again = chunks.putIfAbsent(ContractFixtures.copyOf(chunk));

    assertThat(again).isEqualTo(new PutOutcome.AlreadyPresent(chunk.writeUnits()));
    assertThat(again.isDurable()).isTrue();
    assertThat(chunks.count(JOB, chunk.id().bucket())).isEqualTo(1);
    assertThat(read(chunks, JOB, chunk.id().bucket(), Optional.empty())).containsExactly(chunk);
  }

  @Test
  void theFirstWriteWinsEvenWhenALaterChunkWithTheSameIdentityHasOtherBytes() {
    Chunks chunks = newChunks();
    Chunk first = ContractFixtures.firstEuChunk();
    Chunk rival = ContractFixtures.rivalOfFirstEuChunk();
    chunks.putIfAbsent(first);

    PutOutcome outcome = chunks.putIfAbsent(rival);

    assertThat(outcome).isInstanceOf(PutOutcome.AlreadyPresent.class);
    assertThat(((PutOutcome.AlreadyPresent) outcome).writeUnits()).isPositive();
    List<Chunk> read = read(chunks, JOB, first.id().bucket(), Optional.empty());
    assertThat(read).hasSize(1);
    assertThat(read.get(0).record()).isEqualTo(first.record()).isNotEqualTo(rival.record());
  }

  @Test
  void aBucketReadsBackExactlyItsChunksInSortKeyOrderWhateverTheOrderOfPuts() {
    Chunks chunks = newChunks();
    List<Chunk> all = ContractFixtures.jobChunks();
    putAll(chunks, shuffled(all));

    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      List<Chunk> expected = ContractFixtures.inBucket(all, bucket);
      assertThat(expected).as("bucket %d has every group, twice", bucket).hasSize(2 * GROUPS.size());
      List<Chunk> read = read(chunks, JOB, bucket, Optional.empty());
      assertThat(read).as("bucket %d", bucket).containsExactlyElementsOf(expected);
      for (int i = 0; i < read.size(); i++) {
        assertThat(read.get(i).record()).as("bytes of %s", expected.get(i).id()).isEqualTo(expected.get(i).record());
        assertThat(read.get(i).header()).isEqualTo(expected.get(i).header());
      }
    }
  }

  @Test
  void groupsOfOneBucketComeOutGroupAfterGroupEachInChunkSequence() {
    Chunks chunks = newChunks();
    putAll(chunks, shuffled(ContractFixtures.jobChunks()));

    List<Chunk> read = read(chunks, JOB, 3, Optional.empty());

    List<String> groupRuns = new ArrayList<>();
    for (Chunk c : read) {
      if (groupRuns.isEmpty() || !groupRuns.get(groupRuns.size() - 1).equals(c.id().groupKey())) {
        groupRuns.add(c.id().groupKey());
      }
    }
    assertThat(groupRuns).as("each group is one contiguous run").doesNotHaveDuplicates().hasSize(GROUPS.size());
    for (String group : GROUPS) {
      List<Long> sequences = read.stream().filter(c -> c.id().groupKey().equals(group)).map(c -> c.id().sequence()).toList();
      assertThat(sequences).as("sequences of %s", group).hasSize(2).isSorted();
    }
  }

  @Test
  void groupKeysSortAsUtf8BytesAsDynamoDbSortsStringKeys() {
    Chunks chunks = newChunks();
    putAll(chunks, ContractFixtures.jobChunks());

    List<String> groups = read(chunks, JOB, 0, Optional.empty()).stream().map(c -> c.id().groupKey()).distinct().toList();

    // same UTF-8 length (6 bytes): 0xEF... (fullwidth) before 0xF0... (emoji), though UTF-16 says the opposite
    assertThat(groups.indexOf(FULLWIDTH_EU)).isNotNegative().isLessThan(groups.indexOf(GLOBE_EU));
    // shorter group keys first: the sort key carries the key's UTF-8 length before the key
    assertThat(groups.indexOf(EU)).isLessThan(groups.indexOf(FULLWIDTH_EU));
    assertThat(groups.indexOf(US)).isLessThan(groups.indexOf(EU_WEST));
  }

  @Test
  void aGroupFilterReadsOnlyThatGroupInChunkSequence() {
    Chunks chunks = newChunks();
    List<Chunk> all = ContractFixtures.jobChunks();
    putAll(chunks, shuffled(all));

    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      for (String group : GROUPS) {
        List<Chunk> read = read(chunks, JOB, bucket, Optional.of(group));
        assertThat(read).as("bucket %d group %s", bucket, group).containsExactlyElementsOf(ContractFixtures.inBucket(all, bucket, group));
      }
    }
  }

  @Test
  void aGroupWhoseKeyIsAPrefixOfAnothersDoesNotReadTheOther() {
    Chunks chunks = newChunks();
    putAll(chunks, ContractFixtures.jobChunks());

    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      List<Chunk> eu = read(chunks, JOB, bucket, Optional.of(EU));
      List<Chunk> euWest = read(chunks, JOB, bucket, Optional.of(EU_WEST));
      assertThat(eu).isNotEmpty().allSatisfy(c -> assertThat(c.id().groupKey()).isEqualTo(EU));
      assertThat(euWest).isNotEmpty().allSatisfy(c -> assertThat(c.id().groupKey()).isEqualTo(EU_WEST));
    }
  }

  @Test
  void aGroupWithNoChunksReadsEmptyEvenWhenItIsAPrefixOfOne() {
    Chunks chunks = newChunks();
    putAll(chunks, ContractFixtures.jobChunks());

    assertThat(read(chunks, JOB, 0, Optional.of("e"))).isEmpty();
    assertThat(read(chunks, JOB, 0, Optional.of("eu-"))).isEmpty();
    assertThat(read(chunks, JOB, 0, Optional.of("eu-west-1"))).isEmpty();
  }

  @Test
  void countIsPerJobAndBucket() {
    Chunks chunks = newChunks();
    List<Chunk> all = ContractFixtures.jobChunks();
    List<Chunk> firstHalf = all.subList(0, all.size() / 2);
    putAll(chunks, firstHalf);
    putAll(chunks, ContractFixtures.otherJobChunks());

    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      int b = bucket;
      long expected = firstHalf.stream().filter(c -> c.id().bucket() == b).count();
      assertThat(chunks.count(JOB, bucket)).as("bucket %d", bucket).isEqualTo(expected);
    }
    assertThat(chunks.count(JOB, BUCKETS)).as("a bucket past the job's").isZero();
    assertThat(chunks.count(JobId.of("job-unknown"), 0)).isZero();
  }

  @Test
  void aDuplicatePutDoesNotChangeTheCount() {
    Chunks chunks = newChunks();
    Chunk chunk = ContractFixtures.firstEuChunk();
    chunks.putIfAbsent(chunk);
    chunks.putIfAbsent(chunk);
    chunks.putIfAbsent(ContractFixtures.rivalOfFirstEuChunk());

    assertThat(chunks.count(JOB, chunk.id().bucket())).isEqualTo(1);
  }

  @Test
  void chunksOfOtherJobsAndOtherBucketsNeverLeakIntoARead() {
    Chunks chunks = newChunks();
    List<Chunk> mine = ContractFixtures.jobChunks();
    List<Chunk> theirs = ContractFixtures.otherJobChunks();
    List<Chunk> both = new ArrayList<>(mine);
    both.addAll(theirs);
    putAll(chunks, shuffled(both));

    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      assertThat(read(chunks, JOB, bucket, Optional.empty())).as("job bucket %d", bucket)
          .containsExactlyElementsOf(ContractFixtures.inBucket(mine, bucket));
      assertThat(read(chunks, OTHER_JOB, bucket, Optional.empty())).as("other job bucket %d", bucket)
          .containsExactlyElementsOf(ContractFixtures.inBucket(theirs, bucket));
      assertThat(read(chunks, OTHER_JOB, bucket, Optional.of(EU))).as("other job bucket %d group eu", bucket)
          .containsExactlyElementsOf(ContractFixtures.inBucket(theirs, bucket, EU));
    }
    // "J#job-contract#1" is a string prefix of the partition keys of buckets 10 and 11
    assertThat(read(chunks, JOB, 1, Optional.empty())).allSatisfy(c -> assertThat(c.id().bucket()).isEqualTo(1));
  }

  @Test
  void readsOfAnUnknownJobOrAnEmptyBucketAreEmpty() {
    Chunks chunks = newChunks();
    assertThat(read(chunks, JOB, 0, Optional.empty())).isEmpty();

    putAll(chunks, ContractFixtures.jobChunks());

    assertThat(read(chunks, JobId.of("job-unknown"), 0, Optional.empty())).isEmpty();
    assertThat(read(chunks, JobId.of("job-contrac"), 0, Optional.empty())).as("a prefix of the job id").isEmpty();
    assertThat(read(chunks, JOB, BUCKETS, Optional.empty())).isEmpty();
    assertThat(read(chunks, JOB, BUCKETS, Optional.of(EU))).isEmpty();
  }

  @Test
  void itemsOfABucketAreItsChunksUnparsedUnderTheirKeysInSortKeyOrder() {
    Chunks chunks = newChunks();
    List<Chunk> all = new ArrayList<>(ContractFixtures.jobChunks());
    all.addAll(ContractFixtures.otherJobChunks());
    putAll(chunks, shuffled(all));

    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      List<Chunk> expected = ContractFixtures.inBucket(ContractFixtures.jobChunks(), bucket);
      List<StoredItem> items;
      try (Stream<StoredItem> s = chunks.items(JOB, bucket)) {
        items = s.toList();
      }
      assertThat(items).as("bucket %d", bucket).extracting(StoredItem::sortKey)
          .containsExactlyElementsOf(expected.stream().map(c -> StoredItemLayout.sortKey(c.id())).toList());
      assertThat(items).extracting(StoredItem::partitionKey).containsOnly(StoredItemLayout.partitionKey(JOB.value(), bucket));
      for (int i = 0; i < items.size(); i++) {
        assertThat(items.get(i).record()).isEqualTo(expected.get(i).record());
      }
    }
    try (Stream<StoredItem> s = chunks.items(JobId.of("job-unknown"), 0)) {
      assertThat(s.toList()).isEmpty();
    }
  }

  @Test
  void aBucketLargerThanOneQueryPageReadsBackWhole() {
    Chunks chunks = newChunks();
    List<Chunk> big = ContractFixtures.bigChunks();
    assertThat(big.stream().mapToLong(Chunk::storedItemSize).sum()).as("more than DynamoDB's 1 MB page").isGreaterThan(1_048_576);
    putAll(chunks, shuffled(big));

    assertThat(read(chunks, BIG_JOB, 0, Optional.empty())).containsExactlyElementsOf(ContractFixtures.inBucket(big, 0));
    assertThat(read(chunks, BIG_JOB, 0, Optional.of("big"))).containsExactlyElementsOf(ContractFixtures.inBucket(big, 0));
    assertThat(chunks.count(BIG_JOB, 0)).isEqualTo(big.size());
    try (Stream<StoredItem> items = chunks.items(BIG_JOB, 0)) {
      assertThat(items.count()).as("items across pages").isEqualTo(big.size());
    }
  }

  @Test
  void aReadMayBeConsumedPartly() {
    Chunks chunks = newChunks();
    List<Chunk> all = ContractFixtures.jobChunks();
    putAll(chunks, all);

    try (Stream<Chunk> s = chunks.read(JOB, 5, Optional.empty())) {
      assertThat(s.limit(3).toList()).containsExactlyElementsOf(ContractFixtures.inBucket(all, 5).subList(0, 3));
    }
  }

  @Test
  void theStoreKeepsItsOwnCopyOfTheBytes() {
    Chunks chunks = newChunks();
    Chunk original = ContractFixtures.firstEuChunk();
    Chunk mine = ContractFixtures.copyOf(original);
    chunks.putIfAbsent(mine);
    int bucket = original.id().bucket();

    mine.record()[mine.record().length - 1] ^= 0x5A;
    List<Chunk> firstRead = read(chunks, JOB, bucket, Optional.empty());
    assertThat(firstRead.get(0).record()).as("after the caller changed its array").isEqualTo(original.record());

    firstRead.get(0).record()[firstRead.get(0).record().length - 1] ^= 0x5A;
    assertThat(read(chunks, JOB, bucket, Optional.empty()).get(0).record()).as("after a reader changed its array").isEqualTo(original.record());
  }

  private static List<Chunk> readAfter(Chunks chunks, JobId job, int bucket, Optional<String> group, ChunkId after) {
    try (Stream<Chunk> s = chunks.readAfter(job, bucket, group, after)) {
      return s.toList();
    }
  }

  @Test
  void aReadAfterAChunkReadsExactlyTheChunksThatSortAfterIt() {
    Chunks chunks = newChunks();
    List<Chunk> all = ContractFixtures.jobChunks();
    putAll(chunks, shuffled(all));

    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      List<Chunk> inBucket = ContractFixtures.inBucket(all, bucket);
      for (int i = 0; i < inBucket.size(); i++) {
        assertThat(readAfter(chunks, JOB, bucket, Optional.empty(), inBucket.get(i).id())).as("bucket %d after #%d", bucket, i)
            .containsExactlyElementsOf(inBucket.subList(i + 1, inBucket.size()));
      }
    }
  }

  @Test
  void aGroupReadAfterAChunkStaysInTheGroup() {
    Chunks chunks = newChunks();
    List<Chunk> all = ContractFixtures.jobChunks();
    putAll(chunks, shuffled(all));

    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      for (String group : GROUPS) {
        List<Chunk> inGroup = ContractFixtures.inBucket(all, bucket, group);
        assertThat(readAfter(chunks, JOB, bucket, Optional.of(group), inGroup.get(0).id())).as("bucket %d group %s", bucket, group)
            .containsExactlyElementsOf(inGroup.subList(1, inGroup.size()));
        assertThat(readAfter(chunks, JOB, bucket, Optional.of(group), inGroup.get(inGroup.size() - 1).id())).isEmpty();
      }
    }
  }

  @Test
  void aReadAfterAChunkThatIsNotStoredStartsWhereItWouldSort() {
    Chunks chunks = newChunks();
    List<Chunk> all = ContractFixtures.jobChunks();
    putAll(chunks, all);
    List<Chunk> eu = ContractFixtures.inBucket(all, 2, EU);
    ChunkId first = eu.get(0).id();
    // between the group's two chunks in this bucket: their sequences are BUCKETS apart
    ChunkId between = new ChunkId(JOB, 2, EU, first.sequence() + 1);

    assertThat(readAfter(chunks, JOB, 2, Optional.of(EU), between)).containsExactlyElementsOf(eu.subList(1, eu.size()));
    List<Chunk> inBucket = ContractFixtures.inBucket(all, 2);
    assertThat(readAfter(chunks, JOB, 2, Optional.empty(), between))
        .containsExactlyElementsOf(inBucket.subList(inBucket.indexOf(eu.get(1)), inBucket.size()));
  }

  @Test
  void chunksOfSeveralPartitionsOfOneGroupAndSequenceAreStoredApartAndReadBackByteForByte() {
    Chunks chunks = newChunks();
    List<Chunk> all = ContractFixtures.partitionChunks(3);
    putAll(chunks, all);
    List<Chunk> back = new ArrayList<>();
    for (int b = 0; b < BUCKETS; b++) {
      back.addAll(read(chunks, JOB, b, Optional.empty()));
    }
    assertThat(back).hasSameSizeAs(all);
    assertThat(back.stream().map(c -> c.id()).toList()).containsExactlyInAnyOrderElementsOf(all.stream().map(c -> c.id()).toList());
    for (Chunk c : back) {
      Chunk original = all.stream().filter(o -> o.id().equals(c.id())).findFirst().orElseThrow();
      assertThat(c.record()).isEqualTo(original.record());
    }
    // a group read meets the group's chunks of every partition
    long us = all.stream().filter(c -> c.id().groupKey().equals(US)).count();
    long read = 0;
    for (int b = 0; b < BUCKETS; b++) {
      read += read(chunks, JOB, b, Optional.of(US)).size();
    }
    assertThat(read).isEqualTo(us).isEqualTo(3);
  }

  @Test
  void storedIdsNameEveryStoredChunkOfTheBucketFromItsKeys() {
    Chunks chunks = newChunks();
    List<Chunk> all = new ArrayList<>(ContractFixtures.partitionChunks(2));
    all.addAll(ContractFixtures.otherJobChunks());
    putAll(chunks, all);
    for (int b = 0; b < BUCKETS; b++) {
      int bucket = b;
      List<ChunkId> expected = all.stream().map(Chunk::id).filter(id -> id.jobId().equals(JOB) && id.bucket() == bucket).toList();
      try (Stream<ChunkId> ids = chunks.storedIds(JOB, b)) {
        assertThat(ids.toList()).as("bucket %d", b).containsExactlyInAnyOrderElementsOf(expected);
      }
    }
  }

  @Test
  void deleteAllRemovesEveryChunkOfTheJobsBucketAndNothingElse() {
    Chunks chunks = newChunks();
    putAll(chunks, ContractFixtures.jobChunks());
    putAll(chunks, ContractFixtures.otherJobChunks());
    long before = chunks.count(OTHER_JOB, 1);
    long inBucket = ContractFixtures.inBucket(ContractFixtures.jobChunks(), 1).size();
    assertThat(inBucket).isPositive();
    assertThat(chunks.deleteAll(JOB, 1)).isEqualTo(inBucket);
    assertThat(read(chunks, JOB, 1, Optional.empty())).isEmpty();
    assertThat(read(chunks, JOB, 0, Optional.empty())).hasSameSizeAs(ContractFixtures.inBucket(ContractFixtures.jobChunks(), 0));
    assertThat(chunks.count(OTHER_JOB, 1)).isEqualTo(before);
    assertThat(chunks.deleteAll(JOB, 1)).isZero();
    // deleted means it can be stored again (a replayed record of a failed job is the consumer's to drop)
    Chunk first = ContractFixtures.inBucket(ContractFixtures.jobChunks(), 1).get(0);
    assertThat(chunks.putIfAbsent(first)).isInstanceOf(PutOutcome.Written.class);
  }
}
