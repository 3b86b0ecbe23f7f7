package io.spillway.bootstrap.cli;

import io.spillway.application.service.DatasetVerification;
import io.spillway.bootstrap.Spillway;
import io.spillway.domain.job.JobId;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code spillway verify JOB}: re-reads every stored chunk and names each corrupt, misplaced or missing one. Exit 3 when any. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Re-read every stored chunk of a job (CRC, envelope, manifest); list each damaged or missing chunk by key. Exit 3 on any.")
final class VerifyCommand extends OperatorCommand {
  @Parameters(paramLabel = "JOB", description = "the job's id")
  String job;

  @Override
  int run(Spillway spillway, PrintWriter out) {
    JobId id = OperatorOutput.jobId(spec, job);
    {
      OperatorOutput.existing(spec, spillway, id, selection);
      DatasetVerification.Report report = spillway.operator().verify(id);
      if (json) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("job", OperatorOutput.job(report.job()));
        o.put("manifest", report.manifest().map(OperatorOutput::manifest).orElse(null));
        o.put("itemsRead", report.itemsRead());
        o.put("chunksSound", report.chunksSound());
        o.put("events", report.events());
        o.put("checksum", String.format("%016x", report.checksum()));
        List<Object> problems = new ArrayList<>();
        for (DatasetVerification.Problem p : report.problems()) {
          Map<String, Object> one = new LinkedHashMap<>();
          one.put("kind", p.kind().name());
          one.put("key", p.key().isEmpty() ? null : p.key());
          one.put("detail", p.detail());
          problems.add(one);
        }
        o.put("problems", problems);
        o.put("sound", report.sound());
        out.println(Json.of(o));
      } else {
        for (DatasetVerification.Problem p : report.problems()) {
          out.println(p.kind() + (p.key().isEmpty() ? "" : "  " + p.key()) + "  " + p.detail());
        }
        out.printf("%s: %d items read, %d chunks sound, %d events, checksum %016x%s — %s%n", id.value(), report.itemsRead(), report.chunksSound(),
            report.events(), report.checksum(), report.manifest().isPresent() ? "" : " (not sealed: no manifest to compare against)",
            report.sound() ? "sound" : report.problems().size() + " problem(s)");
      }
      return report.sound() ? 0 : OperatorOutput.EXIT_INCOMPLETE;
    }
  }
}
