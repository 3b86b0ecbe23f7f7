package io.spillway.bootstrap.simulation;

import io.spillway.adapters.inmemory.OnDemandStreamCapacity;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.job.Job;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulation scenario: the workload, the capacity it meets, the faults it suffers and the prices
 * it is costed at. Read from YAML or JSON ({@link ScenarioLoader}); every field has a documented
 * default, so a scenario file names only what it changes. {@link #validate()} names the first
 * field out of range, its value and the allowed range.
 */
public final class Scenario {
  public String name = "custom";
  public String description = "";
  /** Seeds job arrivals, sizes and the producers' jitter: the same seed gives the same run. */
  public long seed = 1;
  /** Days of arrivals simulated. */
  public double days = 1;
  /** Extra simulated time after the last arrival for in-flight jobs to finish. */
  public double drainHours = 2;
  public double availabilityTargetSeconds = 300;
  /**
   * How the chunked architectures are simulated. {@code services}: Spillway's own services on the
   * in-memory adapters, events in blocks of ~6 KB stored (jobs up to about a GB). {@code cohorts}:
   * seed-scale jobs of hundreds of GB, moved as cohorts of chunks that carry counts and sizes, not
   * bytes, through the same capacity models ({@link CohortRun}); item-per-event charges the table
   * once a second per job instead of per request.
   */
  public String engine = "services";
  public Workload workload = new Workload();
  public Producers producers = new Producers();
  public Stream stream = new Stream();
  public Table table = new Table();
  public Consumers consumers = new Consumers();
  public ItemPerEvent itemPerEvent = new ItemPerEvent();
  public Legacy legacy = new Legacy();
  public List<Fault> faults = new ArrayList<>();
  public Prices prices = new Prices();

  /** When and how big the jobs are. */
  public static final class Workload {
    public double jobsPerDay = 520;
    public BusinessHours businessHours = new BusinessHours();
    /** Jobs users trigger together, on top of {@link #jobsPerDay}. */
    public List<Burst> bursts = new ArrayList<>();
    public List<JobClassSpec> classes = new ArrayList<>(List.of(JobClassSpec.standard(), JobClassSpec.complex()));
    /** Group keys per job: events of a group aggregate into the same chunks. */
    public int groupsPerJob = 4;
    /** Partition-key buckets each job's chunks spread over. */
    public int buckets = 4;
  }

  /** The share of daily arrivals between {@code start} and {@code end} o'clock (UTC); the rest spread over the other hours. */
  public static final class BusinessHours {
    public int start = 8;
    public int end = 18;
    public double share = 0.8;
  }

  /** {@code jobs} extra jobs arriving within {@code withinMinutes} from {@code atHour}. */
  public static final class Burst {
    public double atHour;
    public int jobs;
    public double withinMinutes = 5;
  }

  /**
   * A class of job: its share of arrivals, events per job (log-normal around the median), bytes
   * per event as the job emits it, the compression ratio measured on such events (stored bytes
   * over raw bytes; `spillway bench` measures 0.11 on analytics-shaped events) and how fast the
   * job's computation emits events.
   */
  public static final class JobClassSpec {
    public String name = "standard";
    public double share = 0.7;
    public long eventsMedian = 100_000;
    public double eventsSigma = 0.5;
    public int eventBytes = 350;
    public double compressionRatio = 0.11;
    public double eventsPerSecond = 200;

    static JobClassSpec standard() {
      return new JobClassSpec();
    }

    static JobClassSpec complex() {
      JobClassSpec c = new JobClassSpec();
      c.name = "complex";
      c.share = 0.3;
      c.eventsMedian = 500_000;
      c.eventsPerSecond = 300;
      return c;
    }
  }

  /** The job runners: hosts share jobs round-robin, each with its own bounded buffer. */
  public static final class Producers {
    public int hosts = 8;
    public double bufferMegabytes = 64;
    /** How long an open chunk may wait for more events before it is cut. */
    public double lingerSeconds = 30;
  }

  /**
   * {@code mode}: {@code provisioned} (a fixed {@code shards}) or {@code on-demand} (4 shards at
   * first, adding shards as the traffic's settled peak grows; {@code shards} is ignored).
   */
  public static final class Stream {
    public String mode = "provisioned";
    public int shards = 4;
    public double retentionHours = 24;
    /**
     * On-demand: the per-stream write maximum in MB/s (records: 1,000 a second per MB/s). 10,000 is
     * the documented maximum in US East (N. Virginia), US West (Oregon) and Europe (Ireland); other
     * Regions document 200 by default.
     */
    public double onDemandMaxWriteMegabytesPerSecond = 10_000;

    /** Whether the stream is in on-demand mode (not a bean property: scenarios are copied through Jackson). */
    public boolean onDemandMode() {
      return "on-demand".equals(mode);
    }
  }

  /**
   * {@code mode}: provisioned or on-demand; auto-scaling applies to provisioned tables. The
   * per-table quota ({@code quotaWriteUnits}, {@code quotaReadUnits}: 40,000 each by default, as AWS
   * sets it) caps provisioned, auto-scaled and on-demand capacity; asking for more needs a quota
   * increase, which raising the quota here stands for.
   */
  public static final class Table {
    public String mode = "provisioned";
    /** Provisioned write units (on-demand: see {@link #warmWriteUnits}). */
    public double writeUnits = 2_000;
    /**
     * Provisioned read units (an on-demand table reads its warm 12,000 at once). The simulated
     * architectures read only to count chunks; 100 is an assumption: about what reading the seed
     * day's ~7 GB of chunks back once, spread over the day, would average (7 GB / 4 KB / 86,400 s
     * ≈ 20 units a second), with room for bursts.
     */
    public double readUnits = 100;
    /** On-demand: what the table takes at once, its warm throughput (a new table's 4,000). */
    public double warmWriteUnits = 4_000;
    /** On-demand: the optional maximum write throughput; null for none. */
    public Double maxWriteUnits;
    public double quotaWriteUnits = 40_000;
    public double quotaReadUnits = 40_000;
    public AutoScaling autoScaling;
  }

  public static final class AutoScaling {
    public double min = 1_000;
    public double max = 40_000;
    public double targetUtilization = 0.7;
    public int scaleOutAfterMinutes = 2;
    public int applyDelayMinutes = 3;
    public int scaleInAfterMinutes = 15;
  }

  /** KCL workers; shards are split between them; each paces its writes to its own budget. */
  public static final class Consumers {
    public int workers = 2;
    public double writeUnitsPerSecondPerWorker = 1_000;
    /** Records per GetRecords call. */
    public int maxRecords = 25;
  }

  /** The baseline loader: BatchWriteItem of 25 items, from threads inside each job. */
  public static final class ItemPerEvent {
    public int writerThreadsPerJob = 4;
    public double requestsPerSecondPerThread = 40;
    /** Events a job holds while its writes are throttled before its computation stalls. */
    public long bufferEvents = 200_000;
  }

  /**
   * The legacy baseline ({@code legacy-rdbms}): one relational primary, each event one row INSERT
   * written synchronously by the job's computation. The default ceiling is the middle of the
   * documented "a single PostgreSQL primary handles ~5,000–10,000 writes per second" (seed 004).
   */
  public static final class Legacy {
    /** Rows a second the primary commits, shared by every job. */
    public double writeRowsPerSecond = 7_500;
    /** Rows per transaction: a job's rows become durable when their transaction commits. */
    public long rowsPerTransaction = 1;
  }

  /**
   * A fault from {@code atHour} for {@code minutes}: {@code consumers-down}, {@code throttling-storm}
   * ({@code fraction} of table requests refused), {@code put-latency} ({@code milliseconds} added
   * to every PutRecords), {@code capacity-cut} (the table capped at {@code writeUnits}),
   * {@code shard-readers} ({@code readers} other applications polling every shard once a second
   * without enhanced fan-out, sharing its 5 GetRecords calls and 2 MB a second).
   */
  public static final class Fault {
    public String type;
    public double atHour;
    public double minutes = 60;
    public double fraction = 0.9;
    public double milliseconds = 2_000;
    public double writeUnits = 100;
    public int readers = 5;

    public Fault() {}

    public Fault(String type, double atHour, double minutes) {
      this.type = type;
      this.atHour = atHour;
      this.minutes = minutes;
    }
  }

  /**
   * A price table in USD. The defaults are illustrative list prices of one region at one time,
   * not current AWS prices: give your own in the scenario. (The on-demand stream's are US East (N.
   * Virginia) list prices of On-demand Standard in AWS's price list as of 2025; GB here is 2^30 bytes.)
   */
  public static final class Prices {
    public double kinesisShardHour = 0.015;
    /** Per million PUT payload units (25 KB each, rounded up per record). */
    public double kinesisPutUnitsPerMillion = 0.014;
    /** Per shard-hour, for retention past 24 hours. */
    public double kinesisExtendedRetentionShardHour = 0.02;
    /** An on-demand stream, per stream-hour. */
    public double kinesisOnDemandStreamHour = 0.04;
    /** An on-demand stream, per GB written, each record (data and partition key) rounded up to 1 KB. */
    public double kinesisOnDemandIngestGb = 0.08;
    /** An on-demand stream, per GB read with GetRecords (shared-throughput consumers). */
    public double kinesisOnDemandRetrievalGb = 0.04;
    /** An on-demand stream, per GB-month stored past 24 hours, up to 7 days. */
    public double kinesisOnDemandExtendedRetentionGbMonth = 0.10;
    /** An on-demand stream, per GB-month stored past 7 days. */
    public double kinesisOnDemandLongTermRetentionGbMonth = 0.023;
    public double dynamoWcuHour = 0.00065;
    /** Per million on-demand write request units. */
    public double dynamoWriteRequestUnitsPerMillion = 0.625;
    /** Per provisioned read capacity unit-hour. */
    public double dynamoRcuHour = 0.00013;
    /** Per million on-demand read request units. */
    public double dynamoReadRequestUnitsPerMillion = 0.125;
    public double dynamoStorageGbMonth = 0.25;
    /**
     * The legacy primary's instance per month: about USD 0.90 an hour for a db.r6g.2xlarge-class
     * (8 vCPU, 64 GiB) single-AZ PostgreSQL instance, times 720 hours. An assumption from list
     * prices remembered for one region, storage and IOPS not included: give your own.
     */
    public double rdbmsInstanceMonth = 650;
  }

  public static final List<String> ENGINES = List.of("services", "cohorts");

  /** Whether the chunked architectures run as cohorts of sized chunks (seed scale) rather than through the services. */
  public boolean cohorts() {
    return engine.equals("cohorts");
  }

  /** The shards an on-demand stream starts with (and is read through). */
  public static final int ON_DEMAND_INITIAL_SHARDS = OnDemandStreamCapacity.INITIAL_SHARDS;

  public static final List<String> FAULT_TYPES = List.of("consumers-down", "throttling-storm", "put-latency", "capacity-cut", "shard-readers");

  /** Checks every field; throws {@link InvalidFieldException} naming the first one out of range. */
  public Scenario validate() {
    range("seed", seed, Long.MIN_VALUE, Long.MAX_VALUE);
    range("days", days, 1.0 / 24, 31);
    range("drainHours", drainHours, 0, 24 * 7);
    range("availabilityTargetSeconds", availabilityTargetSeconds, 1, 86_400);
    if (!ENGINES.contains(engine)) {
      throw new InvalidFieldException("engine", engine, "one of " + ENGINES);
    }
    range("workload.jobsPerDay", workload.jobsPerDay, 0, 100_000);
    range("workload.businessHours.start", workload.businessHours.start, 0, 23);
    range("workload.businessHours.end", workload.businessHours.end, workload.businessHours.start + 1, 24);
    range("workload.businessHours.share", workload.businessHours.share, 0, 1);
    range("workload.groupsPerJob", workload.groupsPerJob, 1, 10_000);
    range("workload.buckets", workload.buckets, 1, Job.MAX_BUCKETS);
    if (workload.classes.isEmpty()) {
      throw new InvalidFieldException("workload.classes", "[]", "at least one job class");
    }
    double shares = 0;
    for (int i = 0; i < workload.classes.size(); i++) {
      JobClassSpec c = workload.classes.get(i);
      String f = "workload.classes[" + i + "].";
      if (c.name == null || c.name.isBlank()) {
        throw new InvalidFieldException(f + "name", c.name, "a name");
      }
      range(f + "share", c.share, 0, 1);
      // the services engine holds a job's blocks as events: beyond a billion events it takes hours; cohorts carry counts only
      range(f + "eventsMedian", c.eventsMedian, 1, cohorts() ? 100_000_000_000L : 1_000_000_000L);
      range(f + "eventsSigma", c.eventsSigma, 0, 3);
      range(f + "eventBytes", c.eventBytes, 16, 400_000);
      range(f + "compressionRatio", c.compressionRatio, 0.001, 1);
      range(f + "eventsPerSecond", c.eventsPerSecond, 0.01, 10_000_000);
      shares += c.share;
    }
    if (Math.abs(shares - 1) > 1e-6) {
      throw new InvalidFieldException("workload.classes[*].share", shares, "shares summing to 1");
    }
    for (int i = 0; i < workload.bursts.size(); i++) {
      Burst b = workload.bursts.get(i);
      range("workload.bursts[" + i + "].atHour", b.atHour, 0, days * 24);
      range("workload.bursts[" + i + "].jobs", b.jobs, 0, 100_000);
      range("workload.bursts[" + i + "].withinMinutes", b.withinMinutes, 0, 24 * 60);
    }
    range("producers.hosts", producers.hosts, 1, 1_000);
    range("producers.bufferMegabytes", producers.bufferMegabytes, 2, 65_536);
    range("producers.lingerSeconds", producers.lingerSeconds, 0.1, 3_600);
    if (!stream.mode.equals("provisioned") && !stream.onDemandMode()) {
      throw new InvalidFieldException("stream.mode", stream.mode, "provisioned or on-demand");
    }
    range("stream.shards", stream.shards, 1, 10_000);
    range("stream.retentionHours", stream.retentionHours, 24, 8_760);
    range("stream.onDemandMaxWriteMegabytesPerSecond", stream.onDemandMaxWriteMegabytesPerSecond, 4, 10_000);
    if (!table.mode.equals("provisioned") && !table.mode.equals("on-demand")) {
      throw new InvalidFieldException("table.mode", table.mode, "provisioned or on-demand");
    }
    range("table.writeUnits", table.writeUnits, 1, 10_000_000);
    range("table.readUnits", table.readUnits, 1, 10_000_000);
    range("table.warmWriteUnits", table.warmWriteUnits, 1, 10_000_000);
    range("table.quotaWriteUnits", table.quotaWriteUnits, 1, 10_000_000);
    range("table.quotaReadUnits", table.quotaReadUnits, 1, 10_000_000);
    if (table.maxWriteUnits != null) {
      if (!table.mode.equals("on-demand")) {
        throw new InvalidFieldException("table.maxWriteUnits", table.maxWriteUnits, "a maximum throughput only with mode on-demand");
      }
      range("table.maxWriteUnits", table.maxWriteUnits, 1, 10_000_000);
    }
    if (table.mode.equals("provisioned")) {
      withinQuota("table.writeUnits", table.writeUnits, table.quotaWriteUnits, "table.quotaWriteUnits");
      withinQuota("table.readUnits", table.readUnits, table.quotaReadUnits, "table.quotaReadUnits");
    } else {
      withinQuota("table.warmWriteUnits", table.warmWriteUnits, table.quotaWriteUnits, "table.quotaWriteUnits");
    }
    if (table.autoScaling != null) {
      if (!table.mode.equals("provisioned")) {
        throw new InvalidFieldException("table.autoScaling", table.mode, "auto-scaling only with mode provisioned");
      }
      range("table.autoScaling.min", table.autoScaling.min, 1, 10_000_000);
      range("table.autoScaling.max", table.autoScaling.max, table.autoScaling.min, 10_000_000);
      range("table.autoScaling.targetUtilization", table.autoScaling.targetUtilization, 0.2, 0.9);
      range("table.autoScaling.scaleOutAfterMinutes", table.autoScaling.scaleOutAfterMinutes, 1, 60);
      range("table.autoScaling.applyDelayMinutes", table.autoScaling.applyDelayMinutes, 0, 60);
      range("table.autoScaling.scaleInAfterMinutes", table.autoScaling.scaleInAfterMinutes, 1, 24 * 60);
      withinQuota("table.autoScaling.max", table.autoScaling.max, table.quotaWriteUnits, "table.quotaWriteUnits");
    }
    // an on-demand stream is read through its initial shards, each with the shards later split from it
    // the services engine reads an on-demand stream through its 4 initial shards; cohorts read every shard it grows
    range("consumers.workers", consumers.workers, 1, stream.onDemandMode() ? (cohorts() ? 100_000 : ON_DEMAND_INITIAL_SHARDS) : stream.shards);
    range("consumers.writeUnitsPerSecondPerWorker", consumers.writeUnitsPerSecondPerWorker, 1, 10_000_000);
    range("consumers.maxRecords", consumers.maxRecords, 1, 10_000);
    range("itemPerEvent.writerThreadsPerJob", itemPerEvent.writerThreadsPerJob, 1, 1_000);
    range("itemPerEvent.requestsPerSecondPerThread", itemPerEvent.requestsPerSecondPerThread, 0.1, 10_000);
    range("itemPerEvent.bufferEvents", itemPerEvent.bufferEvents, 25, 1_000_000_000L);
    range("legacy.writeRowsPerSecond", legacy.writeRowsPerSecond, 1, 1_000_000);
    range("legacy.rowsPerTransaction", legacy.rowsPerTransaction, 1, 1_000_000);
    range("prices.rdbmsInstanceMonth", prices.rdbmsInstanceMonth, 0, 1_000_000);
    range("prices.kinesisOnDemandStreamHour", prices.kinesisOnDemandStreamHour, 0, 1_000);
    range("prices.kinesisOnDemandIngestGb", prices.kinesisOnDemandIngestGb, 0, 1_000);
    range("prices.kinesisOnDemandRetrievalGb", prices.kinesisOnDemandRetrievalGb, 0, 1_000);
    range("prices.kinesisOnDemandExtendedRetentionGbMonth", prices.kinesisOnDemandExtendedRetentionGbMonth, 0, 1_000);
    range("prices.kinesisOnDemandLongTermRetentionGbMonth", prices.kinesisOnDemandLongTermRetentionGbMonth, 0, 1_000);
    for (int i = 0; i < faults.size(); i++) {
      Fault f = faults.get(i);
      String p = "faults[" + i + "].";
      if (!FAULT_TYPES.contains(f.type)) {
        throw new InvalidFieldException(p + "type", f.type, "one of " + FAULT_TYPES);
      }
      range(p + "atHour", f.atHour, 0, days * 24 + drainHours);
      range(p + "minutes", f.minutes, 0, (days * 24 + drainHours) * 60);
      range(p + "fraction", f.fraction, 0, 1);
      range(p + "milliseconds", f.milliseconds, 0, 60_000);
      range(p + "writeUnits", f.writeUnits, 1, 10_000_000);
      range(p + "readers", f.readers, 1, 100);
    }
    return this;
  }

  /** Capacity past the per-table quota is refused by AWS until the quota is raised. */
  private static void withinQuota(String field, double value, double quota, String quotaField) {
    if (value > quota) {
      throw new InvalidFieldException(field, value, "at most the per-table quota of " + Math.round(quota)
          + " units (" + quotaField + "); more needs a quota increase");
    }
  }

  private static void range(String field, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new InvalidFieldException(field, value, min + ".." + max);
    }
  }
}
