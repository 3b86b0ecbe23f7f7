package io.spillway.adapters.aws.dynamodb;

import io.spillway.application.port.out.Jobs;
import io.spillway.application.port.out.StoredChunks;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import io.spillway.domain.manifest.PartitionManifest;
import io.spillway.application.port.out.JobPartition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job records ({@code pk = JOB#id, sk = META}) and manifests ({@code sk = MANIFEST}) in the
 * Spillway table. Status moves are conditional updates on the status read before, so two
 * consumers racing to mark a job AVAILABLE cannot both win, and a stale writer changes nothing.
 * The job record also holds the count of its chunks stored (an atomic {@code ADD} from every
 * consumer), the jobs SEALED now are listed under {@code pk = SEALED} for the completion sweep, and
 * every job has an entry in the partition of the day it was opened ({@code pk = OPENED#yyyy-mm-dd}),
 * so operators list jobs by time with one Query per day and never a Scan.
 */
public final class DynamoDbJobs implements Jobs {
  static final String JOB_PREFIX = "JOB#";
  static final String META = "META";
  static final String MANIFEST = "MANIFEST";
  /** A partition's record: {@code sk = PART#} and the partition in five digits. */
  static final String PARTITION_PREFIX = "PART#";
  /** The partition listing the jobs SEALED now, one item per job ({@code sk} = job id). */
  static final String SEALED_PARTITION = "SEALED";
  /** The partitions listing the jobs opened on one UTC day ({@code pk = OPENED#yyyy-mm-dd}, {@code sk} = epoch millis#id). */
  static final String OPENED_PREFIX = "OPENED#";
  /** The partition listing the jobs that may be owed an announcement ({@code sk} = job id). */
  static final String ANNOUNCE_PARTITION = "ANNOUNCE";
  /** The most job records one BatchGetItem reads. */
  private static final int BATCH_GET = 100;
  /** The job record's count of stored chunks, added to by every consumer. */
  static final String STORED = "storedChunks";
  private static final Logger log = LoggerFactory.getLogger(DynamoDbJobs.class);

  private final SpillwayTable table;
  private final java.util.concurrent.atomic.DoubleAdder storedCountWriteUnits = new java.util.concurrent.atomic.DoubleAdder();

  public DynamoDbJobs(SpillwayTable table) {
    this.table = table;
  }

  /** Write units the {@link #addStored} updates consumed so far, as DynamoDB reported them. */
  public double storedCountWriteUnits() {
    return storedCountWriteUnits.sum();
  }

  @Override
  public boolean create(Job job) {
    // listed before the job exists, so a listing never misses a job; a refused create leaves an entry that
    // points at the job already there, and listing keeps only entries that agree with the job they point at
    putOpenedEntry(job);
    try {
      table.client().putItem(r -> r.tableName(table.name()).item(jobItem(job)).conditionExpression("attribute_not_exists(pk)"));
      return true;
    } catch (ConditionalCheckFailedException exists) {
      return false;
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "PutItem of job " + job.id(), e);
    }
  }

  @Override
  public Optional<Job> find(JobId id) {
    return get(id, META).map(DynamoDbJobs::job);
  }

  @Override
  public boolean replace(Job current, Job next) {
    if (!current.id().equals(next.id())) {
      throw new IllegalArgumentException("replace must keep the job id: " + current.id() + " vs " + next.id());
    }
    boolean sealing = next.status() == JobStatus.SEALED && current.status() != JobStatus.SEALED;
    if (sealing) {
      // listed before the status says SEALED, so a sweep can never miss a sealed job
      putSealedMarker(next.id());
    }
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    StringBuilder set = new StringBuilder();
    jobItem(next).forEach((attribute, value) -> {
      if (attribute.equals("pk") || attribute.equals("sk")) {
        return;
      }
      names.put("#" + attribute, attribute);
      values.put(":" + attribute, value);
      set.append(set.length() == 0 ? "SET " : ", ").append('#').append(attribute).append(" = :").append(attribute);
    });
    values.put(":current", AttributeValue.fromS(current.status().name()));
    try {
      // an update, not a put: the count of stored chunks on the same item stays as it is
      table.client().updateItem(r -> r.tableName(table.name()).key(key(next.id(), META))
          .updateExpression(set.toString())
          .conditionExpression("#status = :current")
          .expressionAttributeNames(names)
          .expressionAttributeValues(values));
    } catch (ConditionalCheckFailedException stale) {
      return false;
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "conditional UpdateItem of job " + next.id(), e);
    }
    if (current.status() == JobStatus.SEALED && next.status() != JobStatus.SEALED) {
      deleteSealedMarker(next.id());
    }
    return true;
  }

  @Override
  public Optional<StoredChunks> addStored(JobId id, long chunks) {
    if (chunks < 0) {
      throw new IllegalArgumentException("chunks stored cannot be negative: " + chunks);
    }
    try {
      UpdateItemResponse response = table.client().updateItem(r -> r.tableName(table.name()).key(key(id, META))
          .updateExpression("ADD #stored :n")
          .conditionExpression("attribute_exists(pk)")
          .expressionAttributeNames(Map.of("#stored", STORED))
          .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(Long.toString(chunks))))
          .returnValues(ReturnValue.ALL_NEW)
          .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
      if (response.consumedCapacity() != null && response.consumedCapacity().capacityUnits() != null) {
        storedCountWriteUnits.add(response.consumedCapacity().capacityUnits());
      }
      Map<String, AttributeValue> item = response.attributes();
      return Optional.of(new StoredChunks(job(item), stored(item)));
    } catch (ConditionalCheckFailedException unknown) {
      return Optional.empty();
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "UpdateItem (count of stored chunks) of job " + id, e);
    }
  }

  @Override
  public Optional<StoredChunks> progress(JobId id) {
    return get(id, META).map(item -> new StoredChunks(job(item), stored(item)));
  }

  @Override
  public List<JobId> sealed() {
    List<JobId> sealed = new ArrayList<>();
    try {
      table.client().queryPaginator(r -> r.tableName(table.name()).keyConditionExpression("pk = :pk")
              .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(SEALED_PARTITION))).consistentRead(true))
          .items().forEach(item -> sealed.add(new JobId(item.get("sk").s())));
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "Query of sealed jobs", e);
    }
    List<JobId> stillSealed = new ArrayList<>();
    for (JobId id : sealed) {
      Optional<Job> job = find(id);
      if (job.isPresent() && job.get().status() == JobStatus.SEALED) {
        stillSealed.add(id);
      } else if (job.isEmpty() || job.get().status().isTerminal()) {
        // a process stopped between moving the job on and taking it off the list
        deleteSealedMarker(id);
      }
    }
    stillSealed.sort(Comparator.naturalOrder());
    return stillSealed;
  }

  private void putSealedMarker(JobId id) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS(SEALED_PARTITION));
    item.put("sk", AttributeValue.fromS(id.value()));
    try {
      table.client().putItem(r -> r.tableName(table.name()).item(item));
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "PutItem of the sealed-job entry of " + id, e);
    }
  }

  private void deleteSealedMarker(JobId id) {
    try {
      table.client().deleteItem(r -> r.tableName(table.name())
          .key(Map.of("pk", AttributeValue.fromS(SEALED_PARTITION), "sk", AttributeValue.fromS(id.value()))));
    } catch (SdkException e) {
      // the entry only costs a look in the next sweep, which deletes it again
      log.warn("could not take job {} off the sealed list (the next sweep will): {}", id, e.getMessage());
    }
  }

  private static long stored(Map<String, AttributeValue> item) {
    AttributeValue n = item.get(STORED);
    return n == null ? 0 : Long.parseLong(n.n());
  }

  @Override
  public void putManifest(Manifest manifest) {
    Map<String, AttributeValue> item = key(manifest.jobId(), MANIFEST);
    item.put("buckets", AttributeValue.fromN(Integer.toString(manifest.buckets())));
    item.put("chunkCount", AttributeValue.fromN(Long.toString(manifest.chunkCount())));
    item.put("eventCount", AttributeValue.fromN(Long.toString(manifest.eventCount())));
    item.put("checksum", AttributeValue.fromN(Long.toString(manifest.datasetChecksum())));
    item.put("sealedAt", AttributeValue.fromS(manifest.sealedAt().toString()));
    try {
      table.client().putItem(r -> r.tableName(table.name()).item(item).conditionExpression("attribute_not_exists(pk)"));
    } catch (ConditionalCheckFailedException exists) {
      Manifest stored = manifest(manifest.jobId()).orElseThrow();
      boolean same = stored.buckets() == manifest.buckets() && stored.chunkCount() == manifest.chunkCount()
          && stored.eventCount() == manifest.eventCount() && stored.datasetChecksum() == manifest.datasetChecksum();
      if (!same) {
        throw new IllegalStateException("job " + manifest.jobId() + " already has a different manifest: " + stored);
      }
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "PutItem of manifest " + manifest.jobId(), e);
    }
  }

  @Override
  public Optional<Manifest> manifest(JobId id) {
    return get(id, MANIFEST).map(item -> new Manifest(id,
        Integer.parseInt(item.get("buckets").n()),
        Long.parseLong(item.get("chunkCount").n()),
        Long.parseLong(item.get("eventCount").n()),
        Long.parseLong(item.get("checksum").n()),
        Instant.parse(item.get("sealedAt").s())));
  }

  static String partitionKey(int partition) {
    String digits = Integer.toString(partition);
    return PARTITION_PREFIX + "0".repeat(Math.max(0, 5 - digits.length())) + digits;
  }

  @Override
  public void touchPartition(JobId id, int partition, Instant at, long eventsAccepted) {
    try {
      // a sealed partition keeps the progress of its seal
      table.client().updateItem(r -> r.tableName(table.name()).key(key(id, partitionKey(partition)))
          .updateExpression("SET lastProgressAt = :at, eventsAccepted = :n")
          .conditionExpression("attribute_not_exists(chunkCount)")
          .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(at.toString()), ":n", AttributeValue.fromN(Long.toString(eventsAccepted)))));
    } catch (ConditionalCheckFailedException sealed) {
      // nothing to record
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "UpdateItem of partition " + partition + " of job " + id, e);
    }
  }

  @Override
  public void putPartitionManifest(PartitionManifest m) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":chunks", AttributeValue.fromN(Long.toString(m.chunkCount())));
    values.put(":events", AttributeValue.fromN(Long.toString(m.eventCount())));
    values.put(":checksum", AttributeValue.fromN(Long.toString(m.datasetChecksum())));
    values.put(":at", AttributeValue.fromS(m.sealedAt().toString()));
    try {
      table.client().updateItem(r -> r.tableName(table.name()).key(key(m.jobId(), partitionKey(m.partition())))
          .updateExpression("SET chunkCount = :chunks, eventCount = :events, checksum = :checksum, sealedAt = :at, lastProgressAt = :at, eventsAccepted = :events")
          .conditionExpression("attribute_not_exists(chunkCount)")
          .expressionAttributeValues(values));
    } catch (ConditionalCheckFailedException exists) {
      PartitionManifest stored = get(m.jobId(), partitionKey(m.partition())).flatMap(item -> partition(m.jobId(), item).manifest()).orElseThrow();
      if (stored.chunkCount() != m.chunkCount() || stored.eventCount() != m.eventCount() || stored.datasetChecksum() != m.datasetChecksum()) {
        throw new IllegalStateException("partition " + m.partition() + " of job " + m.jobId() + " already has a different manifest: " + stored);
      }
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "UpdateItem of the manifest of partition " + m.partition() + " of job " + m.jobId(), e);
    }
  }

  @Override
  public List<JobPartition> partitions(JobId id) {
    List<JobPartition> parts = new ArrayList<>();
    try {
      table.client().queryPaginator(r -> r.tableName(table.name()).keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
              .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(JOB_PREFIX + id.value()), ":prefix", AttributeValue.fromS(PARTITION_PREFIX)))
              .consistentRead(true))
          .items().forEach(item -> parts.add(partition(id, item)));
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "Query of the partitions of job " + id, e);
    }
    return parts;
  }

  private static JobPartition partition(JobId id, Map<String, AttributeValue> item) {
    int partition = Integer.parseInt(item.get("sk").s().substring(PARTITION_PREFIX.length()));
    Optional<PartitionManifest> manifest = item.containsKey("chunkCount")
        ? Optional.of(new PartitionManifest(id, partition, Long.parseLong(item.get("chunkCount").n()), Long.parseLong(item.get("eventCount").n()),
            Long.parseLong(item.get("checksum").n()), Instant.parse(item.get("sealedAt").s())))
        : Optional.empty();
    return new JobPartition(id, partition, Instant.parse(item.get("lastProgressAt").s()), Long.parseLong(item.get("eventsAccepted").n()), manifest);
  }

  @Override
  public List<Job> opened(Instant from, Instant to) {
    Jobs.checkWindow(from, to);
    java.util.LinkedHashSet<JobId> ids = new java.util.LinkedHashSet<>();
    java.time.LocalDate last = to.atOffset(java.time.ZoneOffset.UTC).toLocalDate();
    for (java.time.LocalDate day = from.atOffset(java.time.ZoneOffset.UTC).toLocalDate(); !day.isAfter(last); day = day.plusDays(1)) {
      String pk = OPENED_PREFIX + day;
      try {
        table.client().queryPaginator(r -> r.tableName(table.name())
                .keyConditionExpression("pk = :pk AND sk BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                    ":lo", AttributeValue.fromS(millis(from.toEpochMilli())), ":hi", AttributeValue.fromS(millis(to.toEpochMilli()) + "$")))
                .consistentRead(true))
            .items().forEach(item -> {
              String sk = item.get("sk").s();
              ids.add(new JobId(sk.substring(sk.indexOf('#') + 1)));
            });
      } catch (SdkException e) {
        throw Failures.classify(table.name(), "Query of the jobs opened on " + day, e);
      }
    }
    List<Job> jobs = new ArrayList<>();
    for (Job job : batchGet(new ArrayList<>(ids))) {
      if (!job.openedAt().isBefore(from) && job.openedAt().isBefore(to)) {
        jobs.add(job);
      }
    }
    jobs.sort(Comparator.comparing(Job::openedAt).thenComparing(Job::id));
    return jobs;
  }

  /** The job records of these ids (those that exist), read consistently, 100 per BatchGetItem. */
  private List<Job> batchGet(List<JobId> ids) {
    List<Job> found = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += BATCH_GET) {
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      for (JobId id : ids.subList(from, Math.min(ids.size(), from + BATCH_GET))) {
        keys.add(key(id, META));
      }
      Map<String, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes> request =
          Map.of(table.name(), software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
      for (int attempt = 0; !request.isEmpty(); attempt++) {
        if (attempt == 8) {
          throw new io.spillway.application.port.out.RetryableStoreException(
              "BatchGetItem of job records on DynamoDB table " + table.name() + " left keys unprocessed after 8 attempts", null);
        }
        if (attempt > 0) {
          pause(Math.min(1_000L, 25L << attempt));
        }
        var current = request;
        try {
          var response = table.client().batchGetItem(r -> r.requestItems(current));
          response.responses().getOrDefault(table.name(), List.of()).forEach(item -> found.add(job(item)));
          request = response.unprocessedKeys() == null ? Map.of() : response.unprocessedKeys();
        } catch (SdkException e) {
          throw Failures.classify(table.name(), "BatchGetItem of job records", e);
        }
      }
    }
    return found;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.spillway.application.port.out.RetryableStoreException("interrupted while listing jobs", e);
    }
  }

  @Override
  public void owesAnnouncement(JobId id) {
    try {
      table.client().putItem(r -> r.tableName(table.name()).item(Map.of("pk", AttributeValue.fromS(ANNOUNCE_PARTITION), "sk",
          AttributeValue.fromS(id.value()))));
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "PutItem of the owed-announcement entry of " + id, e);
    }
  }

  @Override
  public List<JobId> owedAnnouncements() {
    List<JobId> owed = new ArrayList<>();
    try {
      table.client().queryPaginator(r -> r.tableName(table.name()).keyConditionExpression("pk = :pk")
              .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(ANNOUNCE_PARTITION))).consistentRead(true))
          .items().forEach(item -> owed.add(new JobId(item.get("sk").s())));
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "Query of owed announcements", e);
    }
    owed.sort(Comparator.naturalOrder());
    return owed;
  }

  @Override
  public void announced(JobId id) {
    try {
      table.client().deleteItem(r -> r.tableName(table.name())
          .key(Map.of("pk", AttributeValue.fromS(ANNOUNCE_PARTITION), "sk", AttributeValue.fromS(id.value()))));
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "DeleteItem of the owed-announcement entry of " + id, e);
    }
  }

  private void putOpenedEntry(Job job) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS(OPENED_PREFIX + job.openedAt().atOffset(java.time.ZoneOffset.UTC).toLocalDate()));
    item.put("sk", AttributeValue.fromS(millis(job.openedAt().toEpochMilli()) + "#" + job.id().value()));
    try {
      table.client().putItem(r -> r.tableName(table.name()).item(item));
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "PutItem of the listing entry of job " + job.id(), e);
    }
  }

  /** Epoch milliseconds as 20 digits that sort as the instants do, before 1970 too (the sign bit flipped, read unsigned). */
  static String millis(long epochMilli) {
    String digits = Long.toUnsignedString(epochMilli ^ Long.MIN_VALUE);
    return "0".repeat(20 - digits.length()) + digits;
  }

  private Optional<Map<String, AttributeValue>> get(JobId id, String sortKey) {
    try {
      Map<String, AttributeValue> item = table.client().getItem(r -> r.tableName(table.name()).key(key(id, sortKey)).consistentRead(true)).item();
      return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "GetItem of job " + id, e);
    }
  }

  private static Map<String, AttributeValue> key(JobId id, String sortKey) {
    Map<String, AttributeValue> key = new HashMap<>();
    key.put("pk", AttributeValue.fromS(JOB_PREFIX + id.value()));
    key.put("sk", AttributeValue.fromS(sortKey));
    return key;
  }

  private static Map<String, AttributeValue> jobItem(Job job) {
    Map<String, AttributeValue> item = key(job.id(), META);
    item.put("name", AttributeValue.fromS(job.name()));
    item.put("jobClass", AttributeValue.fromS(job.jobClass().name()));
    item.put("buckets", AttributeValue.fromN(Integer.toString(job.buckets())));
    if (job.partitions() != 1) {
      item.put("partitions", AttributeValue.fromN(Integer.toString(job.partitions())));
    }
    if (job.resumable()) {
      item.put("resumable", AttributeValue.fromBool(true));
    }
    item.put("status", AttributeValue.fromS(job.status().name()));
    item.put("openedAt", AttributeValue.fromS(job.openedAt().toString()));
    item.put("updatedAt", AttributeValue.fromS(job.updatedAt().toString()));
    return item;
  }

  private static Job job(Map<String, AttributeValue> item) {
    return new Job(
        new JobId(item.get("pk").s().substring(JOB_PREFIX.length())),
        item.get("name").s(),
        JobClass.valueOf(item.get("jobClass").s()),
        Integer.parseInt(item.get("buckets").n()),
        item.containsKey("partitions") ? Integer.parseInt(item.get("partitions").n()) : 1,
        item.containsKey("resumable") && Boolean.TRUE.equals(item.get("resumable").bool()),
        JobStatus.valueOf(item.get("status").s()),
        Instant.parse(item.get("openedAt").s()),
        Instant.parse(item.get("updatedAt").s()));
  }
}
