package io.spillway.bootstrap.simulation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Writes a simulation's files: {@code timeline.csv} (one row per architecture and minute, units in
 * every column name), four charts drawn with JFreeChart — backlog age against retention, write rate
 * against capacity (one panel per architecture), producer buffer against its bound, availability
 * distribution — {@code summary.json}, and {@code index.html} leading with each architecture's verdict.
 */
public final class ReportFiles {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 420;
  /** Height of one architecture's panel in a chart with one panel per architecture. */
  private static final int PANEL_HEIGHT = 200;
  private static final double MIB = 1024.0 * 1024.0;
  private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f);

  private ReportFiles() {}

  public static void write(Simulation.Report report, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    writeCsv(report, dir.resolve("timeline.csv"));
    ChartUtils.saveChartAsPNG(dir.resolve("backlog-age.png").toFile(), backlogChart(report), WIDTH, HEIGHT);
    ChartUtils.saveChartAsPNG(dir.resolve("write-rate.png").toFile(), writeRateChart(report), WIDTH, panelsHeight(report.architectures().size()));
    List<ArchitectureResult> bounded = bounded(report);
    if (!bounded.isEmpty()) {
      ChartUtils.saveChartAsPNG(dir.resolve("producer-buffer.png").toFile(), producerBufferChart(report), WIDTH, panelsHeight(bounded.size()));
    }
    ChartUtils.saveChartAsPNG(dir.resolve("availability.png").toFile(), availabilityChart(report), WIDTH, HEIGHT);
    Files.writeString(dir.resolve("summary.json"), report.json(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("index.html"), html(report), StandardCharsets.UTF_8);
  }

  /**
   * Each column's unit is in its name; write units are DynamoDB WCU except for legacy-rdbms, which
   * counts rows — the {@code write_unit} column says which. Capacity is -1 where the table has no ceiling (on demand).
   */
  static final String CSV_HEADER = "architecture,minute_min,backlog_age_s,retention_s,write_units_per_s,capacity_units_per_s,write_unit,"
      + "buffered_bytes_all_hosts,peak_buffered_bytes_one_host,buffer_bound_bytes_per_host,backlog_bytes,jobs_available,risk";

  static void writeCsv(Simulation.Report report, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(CSV_HEADER + "\n");
      double retention = report.scenario().stream.retentionHours * 3600;
      for (ArchitectureResult a : report.architectures()) {
        for (TimelineRow r : a.timeline()) {
          w.write(String.format(Locale.ROOT, "%s,%d,%.1f,%.0f,%.2f,%.2f,%s,%d,%d,%d,%d,%d,%s%n", a.name, r.minute(), r.backlogAgeSeconds(), retention,
              r.writeUnitsPerSecond(), finite(r.capacityUnitsPerSecond()), writeUnit(a), r.bufferedBytes(), r.fullestHostBufferedBytes(),
              a.producerBufferBoundBytes(), r.backlogBytes(), r.jobsAvailable(), r.risk()));
        }
      }
    }
  }

  private static double finite(double v) {
    return Double.isInfinite(v) ? -1 : v;
  }

  static JFreeChart backlogChart(Simulation.Report report) {
    XYSeriesCollection data = new XYSeriesCollection();
    ArchitectureResult spillway = report.architectures().stream().filter(a -> a.name.equals("spillway")).findFirst().orElse(null);
    XYSeries age = new XYSeries("oldest unconsumed record (hours)");
    XYSeries retention = new XYSeries("retention (hours)");
    double retentionHours = report.scenario().stream.retentionHours;
    if (spillway != null) {
      for (TimelineRow r : spillway.timeline()) {
        age.add(r.minute() / 60.0, r.backlogAgeSeconds() / 3600);
        retention.add(r.minute() / 60.0, retentionHours);
      }
    }
    data.addSeries(age);
    data.addSeries(retention);
    JFreeChart chart = ChartFactory.createXYLineChart("Stream backlog age against retention (spillway)", "simulated hours", "hours", data,
        PlotOrientation.VERTICAL, true, false, false);
    style(chart);
    if (spillway != null && spillway.firstAlarmAt() != null) {
      mark(chart, hoursSinceStart(spillway.firstAlarmAt()), "first alarm", new Color(0xE0, 0x8A, 0x00));
    }
    if (spillway != null && spillway.projectedLossAtFirstAlarm() != null
        && !spillway.projectedLossAtFirstAlarm().isAfter(Simulation.START.plus(java.time.Duration.ofDays(400)))) {
      org.jfree.chart.plot.ValueMarker m = new org.jfree.chart.plot.ValueMarker(hoursSinceStart(spillway.projectedLossAtFirstAlarm()),
          new Color(0x80, 0x40, 0xC0), new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      // labelled at the foot: it lands next to the actual loss when the projection is right
      m.setLabel("loss projected at first alarm");
      m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.BOTTOM_LEFT);
      m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
      chart.getXYPlot().addDomainMarker(m);
    }
    if (spillway != null && spillway.firstLossAt() != null) {
      mark(chart, hoursSinceStart(spillway.firstLossAt()), "loss begins", Color.RED);
    }
    return chart;
  }

  /**
   * One panel per architecture, each on its own axis: item-per-event writes ~100x the units of the
   * chunked architectures, so a shared linear axis would flatten every other line to zero.
   */
  static JFreeChart writeRateChart(Simulation.Report report) {
    CombinedDomainXYPlot combined = new CombinedDomainXYPlot(new NumberAxis("simulated hours"));
    combined.setGap(12);
    for (ArchitectureResult a : report.architectures()) {
      XYSeries rate = new XYSeries(a.name + " writes (" + unit(a) + ")");
      XYSeries cap = new XYSeries(a.name + " capacity (" + unit(a) + ")");
      for (TimelineRow r : a.timeline()) {
        rate.add(r.minute() / 60.0, r.writeUnitsPerSecond());
        if (!Double.isInfinite(r.capacityUnitsPerSecond())) cap.add(r.minute() / 60.0, r.capacityUnitsPerSecond());
      }
      XYSeriesCollection data = new XYSeriesCollection();
      data.addSeries(rate);
      data.addSeries(cap);
      combined.add(panel(data, a.name + " (" + unit(a) + ")"));
    }
    return combinedChart("Write rate against capacity, one panel per architecture (capacity dashed)", combined);
  }

  /** The architectures whose producers hold a bounded byte buffer (the chunked ones). */
  static List<ArchitectureResult> bounded(Simulation.Report report) {
    return report.architectures().stream().filter(a -> a.producerBufferBoundBytes() > 0).toList();
  }

  /**
   * Failure mode 1, producers overwhelmed: the most any host's buffer held in each minute against the
   * per-host bound, one panel per bounded architecture. A minute's sample can miss a peak inside
   * the minute, so the run's peak (any host, any moment) is drawn as a line too.
   */
  static JFreeChart producerBufferChart(Simulation.Report report) {
    CombinedDomainXYPlot combined = new CombinedDomainXYPlot(new NumberAxis("simulated hours"));
    combined.setGap(12);
    for (ArchitectureResult a : bounded(report)) {
      XYSeries fullest = new XYSeries(a.name + " peak buffer in the minute, fullest host (MiB)");
      XYSeries bound = new XYSeries(a.name + " bound per host (MiB)");
      for (TimelineRow r : a.timeline()) {
        fullest.add(r.minute() / 60.0, r.fullestHostBufferedBytes() / MIB);
        bound.add(r.minute() / 60.0, a.producerBufferBoundBytes() / MIB);
      }
      XYSeriesCollection data = new XYSeriesCollection();
      data.addSeries(fullest);
      data.addSeries(bound);
      XYPlot panel = panel(data, a.name + " (MiB)");
      org.jfree.chart.plot.ValueMarker peak = new org.jfree.chart.plot.ValueMarker(a.maxProducerBufferBytes() / MIB, Color.RED, new BasicStroke(1f));
      peak.setLabel(String.format(Locale.ROOT, "peak %.1f MiB", a.maxProducerBufferBytes() / MIB));
      peak.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
      peak.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_LEFT);
      panel.addRangeMarker(peak);
      // keep the bound and the peak in view even when the buffer stays near empty
      ((NumberAxis) panel.getRangeAxis()).setUpperBound(1.1 * Math.max(a.producerBufferBoundBytes(), a.maxProducerBufferBytes()) / MIB);
      combined.add(panel);
    }
    return combinedChart("Producer buffer against its bound (failure mode 1: producers overwhelmed)", combined);
  }

  /** A panel whose second series (a capacity or a bound) is dashed in the first series' colour. */
  private static XYPlot panel(XYSeriesCollection data, String rangeLabel) {
    NumberAxis range = new NumberAxis(rangeLabel);
    range.setAutoRangeIncludesZero(true);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, new Color(0x1F, 0x77, 0xB4));
    renderer.setSeriesPaint(1, new Color(0x44, 0x44, 0x44));
    renderer.setSeriesStroke(1, DASHED);
    XYPlot plot = new XYPlot(data, null, range, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    return plot;
  }

  private static JFreeChart combinedChart(String title, CombinedDomainXYPlot combined) {
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, combined, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  private static int panelsHeight(int panels) {
    return 120 + PANEL_HEIGHT * Math.max(1, panels);
  }

  private static String writeUnit(ArchitectureResult a) {
    return a.name.equals("legacy-rdbms") ? "rows" : "WCU";
  }

  /** The legacy primary counts rows, DynamoDB write units. */
  private static String unit(ArchitectureResult a) {
    return a.name.equals("legacy-rdbms") ? "rows/s" : "WCU/s";
  }

  /** The share of jobs available within x seconds of their computation's end, per architecture. */
  static JFreeChart availabilityChart(Simulation.Report report) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (ArchitectureResult a : report.architectures()) {
      List<Double> sorted = new ArrayList<>(a.availabilitySeconds());
      sorted.sort(null);
      XYSeries cdf = new XYSeries(a.name);
      for (int i = 0; i < sorted.size(); i++) cdf.add(Math.max(0.1, sorted.get(i)), 100.0 * (i + 1) / Math.max(1, a.jobsArrivedCount()));
      data.addSeries(cdf);
    }
    JFreeChart chart = ChartFactory.createXYLineChart("Availability: jobs available within x seconds of their end", "seconds (log)",
        "% of arrived jobs", data, PlotOrientation.VERTICAL, true, false, false);
    style(chart);
    org.jfree.chart.axis.LogAxis log = new org.jfree.chart.axis.LogAxis("seconds after the job's computation ended (log scale)");
    log.setSmallestValue(0.1);
    chart.getXYPlot().setDomainAxis(log);
    mark(chart, report.scenario().availabilityTargetSeconds, "target", Color.DARK_GRAY);
    return chart;
  }

  private static double hoursSinceStart(java.time.Instant at) {
    return java.time.Duration.between(Simulation.START, at).toSeconds() / 3600.0;
  }

  private static void style(JFreeChart chart) {
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    chart.setBackgroundPaint(Color.WHITE);
  }

  private static void mark(JFreeChart chart, double x, String label, Color color) {
    org.jfree.chart.plot.ValueMarker m = new org.jfree.chart.plot.ValueMarker(x, color, new BasicStroke(1.5f));
    m.setLabel(label);
    m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
    m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_RIGHT);
    chart.getXYPlot().addDomainMarker(m);
  }

  static String html(Simulation.Report report) {
    StringBuilder b = new StringBuilder();
    Scenario s = report.scenario();
    b.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Spillway simulation: ").append(esc(s.name))
        .append("</title>\n<style>body{font-family:sans-serif;max-width:1040px;margin:2em auto;color:#222}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}td:first-child{text-align:left}</style>"
            + "</head><body>\n");
    b.append("<h1>Scenario <code>").append(esc(s.name)).append("</code></h1>\n<p>").append(esc(s.description)).append("</p>\n");
    b.append(String.format(Locale.ROOT, "<p>Seed %d, %d jobs over %.1f simulated day(s) plus %.1f h to drain; availability target %.0f s.</p>%n",
        s.seed, report.jobsScheduled(), s.days, s.drainHours, s.availabilityTargetSeconds));
    b.append("<h2>Verdict</h2>\n<ul>\n");
    for (ArchitectureResult a : report.architectures()) {
      b.append("<li><b>").append(esc(a.name)).append("</b>: ").append(esc(a.verdict(s))).append("</li>\n");
    }
    b.append("</ul>\n");
    quotas(b, report);
    forecast(b, report);
    b.append("<h2>Summary</h2>\n");
    table(b, report, new String[][] {
        {"jobsPerDay", "jobs completed per day (jobs/day)"},
        {"availabilityP50Seconds", "availability p50 (s)"},
        {"availabilityP99Seconds", "availability p99 (s)"},
        {"maxIteratorAgeSeconds", "max backlog age (s)"},
        {"eventsLost", "events lost (events)"},
        {"wcuConsumed", "write units consumed (WCU; rows for legacy-rdbms)"},
        {"throttledRequests", "throttled requests (requests)"},
        {"maxProducerBufferBytes", "peak producer buffer, one host (bytes)"},
        {"producerBufferBoundBytes", "producer buffer bound per host (bytes)"},
        {"cost", "cost ($/month)"},
        {"alarmLeadTimeSeconds", "lead time, first projected alarm to loss (s)"}});
    b.append("<p>Cost is per month at the scenario's price table (illustrative defaults, not current AWS prices).</p>\n");
    b.append("<h2>Stalled and unfinished jobs</h2>\n");
    table(b, report, new String[][] {
        {"jobsArrived", "jobs arrived (jobs)"},
        {"jobsCompleted", "jobs completed (jobs)"},
        {"jobsIncomplete", "jobs incomplete, events lost (jobs)"},
        {"jobsUnfinished", "jobs unfinished when the run ended (jobs)"},
        {"producerStalledSeconds", "computation stalled, all jobs (s)"}});
    b.append("<p>A job's computation stalls while its producer cannot take more events (a full buffer, a throttled table, a saturated "
        + "primary); the seconds add up over all jobs.</p>\n");
    b.append("<h2>Backlog age against retention</h2><img src=\"backlog-age.png\" alt=\"backlog age\" width=\"1000\">\n");
    b.append("<h2>Write rate against capacity</h2><p>One panel per architecture, each on its own axis (WCU/s; rows/s for legacy-rdbms).</p>"
        + "<img src=\"write-rate.png\" alt=\"write rate\" width=\"1000\">\n");
    if (bounded(report).isEmpty()) {
      b.append("<h2>Producer buffer against its bound</h2><p>No architecture in this run holds a bounded producer buffer.</p>\n");
    } else {
      b.append("<h2>Producer buffer against its bound</h2><p>The most any one host's buffer held in each minute (MiB; sampled each second and after each append, exact in a minute that set a new peak) against "
          + "the per-host bound, dashed; the red line is the run's peak, from the publisher's own count.</p><img src=\"producer-buffer.png\" alt=\"producer buffer\" width=\"1000\">\n");
    }
    b.append("<h2>Availability distribution</h2><img src=\"availability.png\" alt=\"availability\" width=\"1000\">\n");
    b.append("<p>Data: <a href=\"timeline.csv\">timeline.csv</a> (per architecture and minute; units in the column names), <a href=\"summary.json\">summary.json</a>.</p>\n");
    b.append("</body></html>\n");
    return b.toString();
  }

  /** The retention forecast of each architecture with a stream: its first alarm against the actual loss, then every change of level. */
  private static void forecast(StringBuilder b, Simulation.Report report) {
    List<ArchitectureResult> watched = report.architectures().stream().filter(a -> a.forecastLine() != null).toList();
    if (watched.isEmpty()) {
      return;
    }
    b.append("<h2>Retention forecast</h2>\n<p>The lead time counts from the forecast's first alarm (WATCH: loss projected within 12 h; "
        + "CRITICAL: within 6 h) to the first record lost; the error is how far the loss time projected at that alarm was from the actual, "
        + "in percent of the time between them.</p>\n<ul>\n");
    for (ArchitectureResult a : watched) {
      b.append("<li><b>").append(esc(a.name)).append("</b>: ").append(esc(a.forecastLine())).append("</li>\n");
    }
    b.append("</ul>\n<table><tr><th>architecture</th><th>at (h)</th><th>level</th><th>from</th><th>bottleneck</th><th>recommendation</th>"
        + "<th>projected loss at (h)</th><th>oldest age (h)</th><th>age slope (s/s)</th></tr>\n");
    for (ArchitectureResult a : watched) {
      for (Map<String, Object> alarm : a.alarms) {
        b.append("<tr><td>").append(esc(a.name)).append("</td>");
        b.append("<td>").append(hoursOf(alarm.get("atSeconds"))).append("</td>");
        for (String k : new String[] {"level", "from", "bottleneck", "recommendation"}) {
          b.append("<td>").append(alarm.get(k) == null ? "–" : esc(String.valueOf(alarm.get(k)))).append("</td>");
        }
        b.append("<td>").append(hoursOf(alarm.get("projectedLossAtSeconds"))).append("</td>");
        b.append("<td>").append(hoursOf(alarm.get("oldestAgeSeconds"))).append("</td>");
        b.append("<td>").append(alarm.get("ageSlope") == null ? "–" : alarm.get("ageSlope")).append("</td></tr>\n");
      }
    }
    b.append("</table>\n");
  }

  private static String hoursOf(Object seconds) {
    return seconds == null ? "–" : String.format(Locale.ROOT, "%.2f", ((Number) seconds).doubleValue() / 3_600);
  }

  private static void table(StringBuilder b, Simulation.Report report, String[][] columns) {
    b.append("<table><tr><th>architecture</th>");
    for (String[] c : columns) b.append("<th>").append(esc(c[1])).append("</th>");
    b.append("</tr>\n");
    for (ArchitectureResult a : report.architectures()) {
      Map<String, Object> j = a.toJsonView(report.scenario());
      b.append("<tr><td>").append(esc(a.name)).append("</td>");
      for (String[] c : columns) b.append("<td>").append(j.get(c[0]) == null ? "–" : esc(String.valueOf(j.get(c[0])))).append("</td>");
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  /** The AWS quotas each architecture's run needed past their defaults, when any did. */
  private static void quotas(StringBuilder b, Simulation.Report report) {
    StringBuilder items = new StringBuilder();
    for (ArchitectureResult a : report.architectures()) {
      List<Quotas.Increase> needed = Quotas.needed(report.scenario(), a);
      if (!needed.isEmpty()) {
        items.append("<li><b>").append(esc(a.name)).append("</b>: ")
            .append(esc(needed.stream().map(Quotas.Increase::describe).collect(java.util.stream.Collectors.joining("; ")))).append("</li>\n");
      }
    }
    if (items.length() > 0) {
      b.append("<h2>Quota increases needed</h2>\n<p>What the run's capacity needs past the AWS defaults (a table 40,000 WCU, an "
          + "account's provisioned tables 80,000, 20,000 shards an account in us-east-1, us-west-2 and eu-west-1 and 1,000 or 6,000 "
          + "elsewhere), to request through Service Quotas before the capacity is deployed.</p>\n<ul>\n").append(items).append("</ul>\n");
    }
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
