package io.spillway.bootstrap.cli;

import io.spillway.application.port.out.DeadLetter;
import io.spillway.application.service.DeadLetterReplay;
import io.spillway.bootstrap.Spillway;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.CorruptChunkException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spillway dead-letters list | show | replay}: the poison records, why each was refused, and replaying them after a fix. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true, description = "List, show and replay dead letters (poison records).",
    subcommands = {DeadLettersCommand.ListLetters.class, DeadLettersCommand.Show.class, DeadLettersCommand.Replay.class})
final class DeadLettersCommand implements Runnable {
  /** How many letters one listing or replay takes at most. */
  static final int MAX_LIMIT = 10_000;
  /** How much of a record {@code show} prints as hex. */
  static final int HEX_HEAD = 256;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The plumbing the subcommands share, and finding a letter by its id. */
  abstract static class Base extends OperatorCommand {
    /** SOURCE@POSITION: the shard and the record's sequence number, as {@code list} prints them. */
    String[] letterId(String id) {
      int at = id.indexOf('@');
      if (at <= 0 || at == id.length() - 1) {
        throw Options.refuse(spec, "LETTER", id, "SOURCE@POSITION, e.g. shardId-000000000001@49654…, as dead-letters list prints it");
      }
      return new String[] {id.substring(0, at), id.substring(at + 1)};
    }

    DeadLetter existing(Spillway spillway, String id) {
      String[] sp = letterId(id);
      return spillway.operator().deadLetter(sp[0], sp[1])
          .orElseThrow(() -> Options.refuse(spec, "LETTER", id, "a dead letter in " + selection.where() + " (there is none)"));
    }
  }

  static Map<String, Object> summary(DeadLetter d) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", d.source() + "@" + d.position());
    o.put("source", d.source());
    o.put("position", d.position());
    o.put("reason", d.reason());
    o.put("detail", d.detail());
    o.put("recordLength", d.recordLength());
    o.put("kept", d.record().length);
    o.put("sha256", d.sha256());
    o.put("at", d.at().toString());
    return o;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Dead letters, oldest first, with their reasons and sources.")
  static final class ListLetters extends Base {
    @Option(names = "--limit", defaultValue = "100", description = "at most this many (1-10000, default ${DEFAULT-VALUE})")
    int limit;

    @Override
    void check() {
      Options.range(spec, "--limit", limit, 1, MAX_LIMIT);
    }

    @Override
    int run(Spillway spillway, PrintWriter out) {
      List<DeadLetter> letters = spillway.operator().deadLetters(limit);
      long count = spillway.operator().deadLetterCount();
      if (json) {
        List<Object> listed = new ArrayList<>();
        letters.forEach(d -> listed.add(summary(d)));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("count", count);
        o.put("deadLetters", listed);
        out.println(Json.of(o));
        return 0;
      }
      for (DeadLetter d : letters) {
        String firstLine = d.detail().lines().findFirst().orElse("");
        out.printf("%s  %s  %d bytes  %s  %s%n", d.source() + "@" + d.position(), d.reason(), d.recordLength(), d.at(), firstLine);
      }
      out.println(letters.size() + " of " + count + " dead letter(s) in " + selection.where());
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One dead letter: reasons, the record's head in hex, its chunk header if it has one.")
  static final class Show extends Base {
    @Parameters(paramLabel = "LETTER", description = "SOURCE@POSITION, as list prints it")
    String letter;

    @Override
    int run(Spillway spillway, PrintWriter out) {
      DeadLetter d = existing(spillway, letter);
      byte[] head = java.util.Arrays.copyOf(d.record(), Math.min(HEX_HEAD, d.record().length));
      String header;
      try {
        Chunk chunk = ChunkFormat.parse(d.record());
        header = "chunk " + chunk.id() + ", codec " + chunk.header().codec() + ", " + chunk.header().eventCount() + " events (sequences "
            + chunk.header().firstSequence() + ".." + chunk.header().lastSequence() + "), CRC32C " + String.format("%08x", chunk.header().crc32c());
      } catch (CorruptChunkException | IllegalArgumentException e) {
        header = "none decodable: " + e.getMessage();
      }
      if (json) {
        Map<String, Object> o = summary(d);
        o.put("truncated", d.truncated());
        o.put("header", header);
        o.put("headHex", HexFormat.of().formatHex(head));
        out.println(Json.of(o));
        return 0;
      }
      out.println("letter    " + d.source() + "@" + d.position() + " (dead-lettered " + d.at() + ")");
      out.println("reason    " + d.reason());
      d.detail().lines().forEach(l -> out.println("          " + l));
      out.println("record    " + d.recordLength() + " bytes" + (d.truncated() ? ", first " + d.record().length + " kept" : "") + ", sha256 " + d.sha256());
      out.println("header    " + header);
      HexFormat hex = HexFormat.of();
      for (int i = 0; i < head.length; i += 16) {
        byte[] row = java.util.Arrays.copyOfRange(head, i, Math.min(head.length, i + 16));
        StringBuilder text = new StringBuilder();
        for (byte b : row) {
          text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        out.printf("  %04x  %-47s  %s%n", i, hex.withDelimiter(" ").formatHex(row), text);
      }
      return 0;
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Replay one dead letter, or all, after a fix: stored records leave the list; still-poison ones stay with a new reason. Exit 3 if any stay.")
  static final class Replay extends Base {
    /** One letter or all of them. */
    static final class Which {
      @Parameters(paramLabel = "LETTER", description = "SOURCE@POSITION, as list prints it")
      String letter;

      @Option(names = "--all", description = "every dead letter, oldest first (up to --limit)")
      boolean all;
    }

    @ArgGroup(multiplicity = "1")
    Which which;

    @Option(names = "--limit", defaultValue = "1000", description = "with --all, at most this many (1-10000, default ${DEFAULT-VALUE})")
    int limit;

    @Override
    void check() {
      Options.range(spec, "--limit", limit, 1, MAX_LIMIT);
    }

    @Override
    int run(Spillway spillway, PrintWriter out) {
      List<DeadLetterReplay.Replayed> results;
      if (which.all) {
        results = spillway.operator().replayAll(limit);
      } else {
        DeadLetter d = existing(spillway, which.letter);
        results = List.of(spillway.operator().replay(d.source(), d.position()));
      }
      int left = 0;
      List<Object> listed = new ArrayList<>();
      for (DeadLetterReplay.Replayed r : results) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", r.source() + "@" + r.position());
        String said;
        if (r instanceof DeadLetterReplay.Replayed.Stored s) {
          o.put("outcome", s.firstWrite() ? "STORED" : "ALREADY_STORED");
          o.put("chunk", s.chunkId());
          said = (s.firstWrite() ? "stored " : "was stored already: ") + s.chunkId() + "; letter removed";
        } else if (r instanceof DeadLetterReplay.Replayed.StillPoison p) {
          left++;
          o.put("outcome", "STILL_POISON");
          o.put("reason", p.letter().reason());
          said = "still poison: " + p.letter().reason() + ": " + p.letter().detail().lines().findFirst().orElse("");
        } else if (r instanceof DeadLetterReplay.Replayed.NotReplayable n) {
          left++;
          o.put("outcome", "NOT_REPLAYABLE");
          o.put("why", n.why());
          said = "not replayable: " + n.why();
        } else if (r instanceof DeadLetterReplay.Replayed.NotNow n) {
          left++;
          o.put("outcome", "NOT_NOW");
          o.put("why", n.why());
          said = "not now, try again: " + n.why();
        } else {
          left++;
          o.put("outcome", "NO_SUCH_LETTER");
          said = "no such letter (replayed already?)";
        }
        listed.add(o);
        if (!json) {
          out.println(r.source() + "@" + r.position() + "  " + said);
        }
      }
      if (json) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("replayed", listed);
        o.put("stored", results.size() - left);
        o.put("left", left);
        out.println(Json.of(o));
      } else {
        out.println((results.size() - left) + " of " + results.size() + " replayed into the table; " + left + " left as dead letters");
      }
      return left == 0 ? 0 : OperatorOutput.EXIT_INCOMPLETE;
    }
  }
}
