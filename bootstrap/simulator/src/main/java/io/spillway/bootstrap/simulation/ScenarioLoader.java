package io.spillway.bootstrap.simulation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.spillway.domain.InvalidFieldException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads scenarios: a file (YAML or JSON, which is YAML too) or one of the named scenarios shipped with Spillway. */
public final class ScenarioLoader {
  /** The scenarios in {@code src/main/resources/scenarios}. */
  public static final List<String> NAMED = List.of("seed-case-study", "case-study-small", "retention-expiry", "producer-overload", "consumers-outage",
      "shard-read-contention");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ScenarioLoader() {}

  /** A file path if one exists there, else a named scenario; validated. */
  public static Scenario load(String fileOrName) {
    Path path = Path.of(fileOrName);
    if (Files.isRegularFile(path)) {
      try (InputStream in = Files.newInputStream(path)) {
        return parse(in, path.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read scenario " + path, e);
      }
    }
    return named(fileOrName);
  }

  public static Scenario named(String name) {
    if (!NAMED.contains(name)) {
      throw new InvalidFieldException("scenario", name, "a scenario file, or one of " + NAMED);
    }
    try (InputStream in = ScenarioLoader.class.getResourceAsStream("/scenarios/" + name + ".yaml")) {
      if (in == null) {
        throw new IllegalStateException("the named scenario " + name + " is missing from the jar");
      }
      return parse(in, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Scenario parse(InputStream in, String source) throws IOException {
    try {
      Scenario s = YAML.readValue(in, Scenario.class);
      if (s == null) {
        s = new Scenario();
      }
      return s.validate();
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidFieldException(path(e.getPath()), e.getPropertyName(), "a known field of the scenario (" + source + "); known here: " + e.getKnownPropertyIds());
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      throw new InvalidFieldException(path(e.getPath()), e.getOriginalMessage(), "a value of the field's type (" + source + ")");
    }
  }

  private static String path(List<com.fasterxml.jackson.databind.JsonMappingException.Reference> refs) {
    StringBuilder b = new StringBuilder();
    for (var r : refs) {
      if (r.getFieldName() != null) {
        if (b.length() > 0) b.append('.');
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.length() == 0 ? "scenario" : b.toString();
  }
}
