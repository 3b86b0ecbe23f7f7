package io.spillway.adapters.aws.dynamodb;

import io.spillway.application.port.out.Jobs;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
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

/**
 * Job records ({@code pk = JOB#id, sk = META}) and manifests ({@code sk = MANIFEST}) in the
 * Spillway table. Status moves are conditional puts on the status read before, so two consumers
 * racing to mark a job AVAILABLE cannot both win, and a stale writer changes nothing.
 */
public final class DynamoDbJobs implements Jobs {
  static final String JOB_PREFIX = "JOB#";
  static final String META = "META";
  static final String MANIFEST = "MANIFEST";

  private final SpillwayTable table;

  public DynamoDbJobs(SpillwayTable table) {
    this.table = table;
  }

  @Override
  public boolean create(Job job) {
    try {
      table.client().putItem(r -> r.tableName(table.name()).item(jobItem(job)).conditionExpression("attribute_not_exists(pk)"));
      return true;
    } catch (ConditionalCheckFailedException exists) {
      return false;
    } catch (SdkException e) {
      throw Failures.classify("PutItem of job " + job.id(), e);
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
    try {
      table.client().putItem(r -> r.tableName(table.name()).item(jobItem(next))
          .conditionExpression("#status = :current")
          .expressionAttributeNames(Map.of("#status", "status"))
          .expressionAttributeValues(Map.of(":current", AttributeValue.fromS(current.status().name()))));
      return true;
    } catch (ConditionalCheckFailedException stale) {
      return false;
    } catch (SdkException e) {
      throw Failures.classify("conditional PutItem of job " + next.id(), e);
    }
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
      throw Failures.classify("PutItem of manifest " + manifest.jobId(), e);
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

  @Override
  public List<Job> list() {
    List<Job> jobs = new ArrayList<>();
    try {
      table.client().scanPaginator(r -> r.tableName(table.name())
              .filterExpression("sk = :meta AND begins_with(pk, :prefix)")
              .expressionAttributeValues(Map.of(":meta", AttributeValue.fromS(META), ":prefix", AttributeValue.fromS(JOB_PREFIX)))
              .consistentRead(true))
          .items().forEach(item -> jobs.add(job(item)));
    } catch (SdkException e) {
      throw Failures.classify("Scan of jobs", e);
    }
    jobs.sort(Comparator.comparing(Job::id));
    return jobs;
  }

  private Optional<Map<String, AttributeValue>> get(JobId id, String sortKey) {
    try {
      Map<String, AttributeValue> item = table.client().getItem(r -> r.tableName(table.name()).key(key(id, sortKey)).consistentRead(true)).item();
      return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    } catch (SdkException e) {
      throw Failures.classify("GetItem of job " + id, e);
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
        JobStatus.valueOf(item.get("status").s()),
        Instant.parse(item.get("openedAt").s()),
        Instant.parse(item.get("updatedAt").s()));
  }
}
