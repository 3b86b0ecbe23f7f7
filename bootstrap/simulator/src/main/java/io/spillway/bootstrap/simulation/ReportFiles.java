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
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Writes a simulation's files: {@code timeline.csv} (one row per architecture and minute), three
 * charts drawn with JFreeChart — backlog age against retention, write rate against capacity,
 * availability distribution — and {@code index.html} tying them to the summary.
 */
public final class ReportFiles {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 420;

  private ReportFiles() {}

  public static void write(Simulation.Report report, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    writeCsv(report, dir.resolve("timeline.csv"));
    ChartUtils.saveChartAsPNG(dir.resolve("backlog-age.png").toFile(), backlogChart(report), WIDTH, HEIGHT);
    ChartUtils.saveChartAsPNG(dir.resolve("write-rate.png").toFile(), writeRateChart(report), WIDTH, HEIGHT);
    ChartUtils.saveChartAsPNG(dir.resolve("availability.png").toFile(), availabilityChart(report), WIDTH, HEIGHT);
    Files.writeString(dir.resolve("summary.json"), report.json(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("index.html"), html(report), StandardCharsets.UTF_8);
  }

  static void writeCsv(Simulation.Report report, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("architecture,minute,backlogAgeSeconds,retentionSeconds,writeUnitsPerSecond,capacityUnitsPerSecond,bufferedBytes,backlogBytes,jobsAvailable,risk\n");
      double retention = report.scenario().stream.retentionHours * 3600;
      for (ArchitectureResult a : report.architectures()) {
        for (TimelineRow r : a.timeline()) {
          w.write(String.format(Locale.ROOT, "%s,%d,%.1f,%.0f,%.2f,%.2f,%d,%d,%d,%s%n", a.name, r.minute(), r.backlogAgeSeconds(), retention,
              r.writeUnitsPerSecond(), finite(r.capacityUnitsPerSecond()), r.bufferedBytes(), r.backlogBytes(), r.jobsAvailable(), r.risk()));
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
    if (spillway != null && spillway.firstLossAt() != null) {
      mark(chart, hoursSinceStart(spillway.firstLossAt()), "loss begins", Color.RED);
    }
    return chart;
  }

  static JFreeChart writeRateChart(Simulation.Report report) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (ArchitectureResult a : report.architectures()) {
      XYSeries rate = new XYSeries(a.name + " writes (" + unit(a) + ")");
      for (TimelineRow r : a.timeline()) rate.add(r.minute() / 60.0, r.writeUnitsPerSecond());
      data.addSeries(rate);
    }
    for (ArchitectureResult a : report.architectures()) {
      XYSeries cap = new XYSeries(a.name + " capacity (" + unit(a) + ")");
      for (TimelineRow r : a.timeline()) {
        if (!Double.isInfinite(r.capacityUnitsPerSecond())) cap.add(r.minute() / 60.0, r.capacityUnitsPerSecond());
      }
      data.addSeries(cap);
    }
    JFreeChart chart = ChartFactory.createXYLineChart("Write rate against capacity", "simulated hours", "write units (rows for legacy-rdbms) per second", data,
        PlotOrientation.VERTICAL, true, false, false);
    style(chart);
    XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
    int n = report.architectures().size();
    for (int i = 0; i < n; i++) {
      renderer.setSeriesStroke(n + i, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
      renderer.setSeriesPaint(n + i, renderer.lookupSeriesPaint(i));
    }
    return chart;
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
    String[] cols = {"jobsCompleted", "jobsPerDay", "availabilityP50Seconds", "availabilityP99Seconds", "maxIteratorAgeSeconds", "eventsLost",
        "wcuConsumed", "maxProducerBufferBytes", "cost", "alarmLeadTimeSeconds"};
    b.append("<table><tr><th>architecture</th>");
    for (String c : cols) b.append("<th>").append(c).append("</th>");
    b.append("</tr>\n");
    for (ArchitectureResult a : report.architectures()) {
      Map<String, Object> j = a.toJsonView(s);
      b.append("<tr><td>").append(esc(a.name)).append("</td>");
      for (String c : cols) b.append("<td>").append(j.get(c) == null ? "–" : esc(String.valueOf(j.get(c)))).append("</td>");
      b.append("</tr>\n");
    }
    b.append("</table>\n<p>Cost is per month at the scenario's price table (illustrative defaults, not current AWS prices).</p>\n");
    b.append("<h2>Backlog age against retention</h2><img src=\"backlog-age.png\" alt=\"backlog age\" width=\"1000\">\n");
    b.append("<h2>Write rate against capacity</h2><img src=\"write-rate.png\" alt=\"write rate\" width=\"1000\">\n");
    b.append("<h2>Availability distribution</h2><img src=\"availability.png\" alt=\"availability\" width=\"1000\">\n");
    b.append("<p>Data: <a href=\"timeline.csv\">timeline.csv</a> (per architecture and minute), <a href=\"summary.json\">summary.json</a>.</p>\n");
    b.append("</body></html>\n");
    return b.toString();
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
