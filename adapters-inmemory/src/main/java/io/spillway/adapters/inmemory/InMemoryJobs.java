package io.spillway.adapters.inmemory;

import io.spillway.application.port.out.JobPartition;
import io.spillway.domain.manifest.PartitionManifest;

import io.spillway.application.port.out.Jobs;
import io.spillway.application.port.out.StoredChunks;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Job records and manifests in maps, with the conditional semantics of the DynamoDB store. */
public final class InMemoryJobs implements Jobs {
  private final ConcurrentMap<JobId, Job> jobs = new ConcurrentHashMap<>();
  private final ConcurrentMap<JobId, Manifest> manifests = new ConcurrentHashMap<>();
  private final ConcurrentMap<JobId, Long> stored = new ConcurrentHashMap<>();
  private final java.util.Set<JobId> owed = ConcurrentHashMap.newKeySet();
  private final ConcurrentMap<JobId, java.util.NavigableMap<Integer, JobPartition>> partitions = new ConcurrentHashMap<>();

  @Override
  public boolean create(Job job) {
    return jobs.putIfAbsent(job.id(), job) == null;
  }

  @Override
  public Optional<Job> find(JobId id) {
    return Optional.ofNullable(jobs.get(id));
  }

  @Override
  public boolean replace(Job current, Job next) {
    if (!current.id().equals(next.id())) {
      throw new IllegalArgumentException("replace must keep the job id: " + current.id() + " vs " + next.id());
    }
    AtomicBoolean replaced = new AtomicBoolean();
    jobs.computeIfPresent(current.id(), (id, stored) -> {
      if (stored.status() == current.status()) {
        replaced.set(true);
        return next;
      }
      return stored;
    });
    return replaced.get();
  }

  @Override
  public void putManifest(Manifest manifest) {
    Manifest existing = manifests.putIfAbsent(manifest.jobId(), manifest);
    if (existing != null && !sameContent(existing, manifest)) {
      throw new IllegalStateException("job " + manifest.jobId() + " already has a different manifest: " + existing);
    }
  }

  static boolean sameContent(Manifest a, Manifest b) {
    return a.buckets() == b.buckets() && a.chunkCount() == b.chunkCount() && a.eventCount() == b.eventCount()
        && a.datasetChecksum() == b.datasetChecksum();
  }

  @Override
  public Optional<Manifest> manifest(JobId id) {
    return Optional.ofNullable(manifests.get(id));
  }

  @Override
  public void touchPartition(JobId id, int partition, Instant at, long eventsAccepted) {
    java.util.NavigableMap<Integer, JobPartition> parts = partitions.computeIfAbsent(id, k -> new java.util.TreeMap<>());
    synchronized (parts) {
      JobPartition existing = parts.get(partition);
      if (existing != null && existing.sealed()) {
        return; // a sealed partition keeps the progress of its seal
      }
      parts.put(partition, new JobPartition(id, partition, at, eventsAccepted, Optional.empty()));
    }
  }

  @Override
  public void putPartitionManifest(PartitionManifest manifest) {
    java.util.NavigableMap<Integer, JobPartition> parts = partitions.computeIfAbsent(manifest.jobId(), k -> new java.util.TreeMap<>());
    synchronized (parts) {
      JobPartition existing = parts.get(manifest.partition());
      if (existing != null && existing.manifest().isPresent()) {
        PartitionManifest m = existing.manifest().get();
        if (m.chunkCount() != manifest.chunkCount() || m.eventCount() != manifest.eventCount() || m.datasetChecksum() != manifest.datasetChecksum()) {
          throw new IllegalStateException("partition " + manifest.partition() + " of job " + manifest.jobId() + " already has a different manifest: " + m);
        }
        return;
      }
      parts.put(manifest.partition(), new JobPartition(manifest.jobId(), manifest.partition(), manifest.sealedAt(), manifest.eventCount(), Optional.of(manifest)));
    }
  }

  @Override
  public List<JobPartition> partitions(JobId id) {
    java.util.NavigableMap<Integer, JobPartition> parts = partitions.get(id);
    if (parts == null) {
      return List.of();
    }
    synchronized (parts) {
      return List.copyOf(parts.values());
    }
  }

  @Override
  public Optional<StoredChunks> addStored(JobId id, long chunks) {
    if (chunks < 0) {
      throw new IllegalArgumentException("chunks stored cannot be negative: " + chunks);
    }
    // the job and its count are read in one step, as DynamoDB's UpdateItem returns them
    synchronized (stored) {
      Job job = jobs.get(id);
      if (job == null) {
        return Optional.empty();
      }
      return Optional.of(new StoredChunks(job, stored.merge(id, chunks, Long::sum)));
    }
  }

  @Override
  public Optional<StoredChunks> progress(JobId id) {
    synchronized (stored) {
      return Optional.ofNullable(jobs.get(id)).map(job -> new StoredChunks(job, stored.getOrDefault(id, 0L)));
    }
  }

  @Override
  public List<JobId> sealed() {
    return jobs.values().stream().filter(j -> j.status() == JobStatus.SEALED).map(Job::id).sorted().toList();
  }

  @Override
  public void owesAnnouncement(JobId id) {
    owed.add(id);
  }

  @Override
  public List<JobId> owedAnnouncements() {
    return owed.stream().sorted().toList();
  }

  @Override
  public void announced(JobId id) {
    owed.remove(id);
  }

  @Override
  public List<Job> opened(Instant from, Instant to) {
    Jobs.checkWindow(from, to);
    List<Job> listed = new ArrayList<>();
    for (Job job : jobs.values()) {
      if (!job.openedAt().isBefore(from) && job.openedAt().isBefore(to)) {
        listed.add(job);
      }
    }
    listed.sort(Comparator.comparing(Job::openedAt).thenComparing(Job::id));
    return listed;
  }
}
