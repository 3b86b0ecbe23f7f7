package io.spillway.adapters.inmemory;

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
