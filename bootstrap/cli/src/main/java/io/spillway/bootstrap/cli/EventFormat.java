package io.spillway.bootstrap.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.spillway.domain.event.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * How {@code spillway read} writes events. A payload that is valid UTF-8 is written as text, any
 * other as base64, so every format but {@code raw} keeps every payload exactly.
 */
enum EventFormat {
  /** One JSON object per line: the envelope's fields and {@code payload} (text) or {@code payloadBase64}. */
  jsonl {
    @Override
    Writer open(OutputStream out) throws IOException {
      JsonGenerator json = new JsonFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json.setRootValueSeparator(null);
      return new Writer() {
        @Override
        public void write(Event e) throws IOException {
          json.writeStartObject();
          json.writeStringField("job", e.jobId().value());
          json.writeNumberField("partition", e.partition());
          json.writeNumberField("sequence", e.sequence());
          json.writeStringField("eventId", e.eventId());
          json.writeStringField("eventTime", e.eventTime().toString());
          json.writeStringField("type", e.type());
          json.writeStringField("group", e.groupKey());
          json.writeNumberField("schemaVersion", e.schemaVersion());
          Optional<String> text = utf8(e.payload());
          if (text.isPresent()) {
            json.writeStringField("payload", text.get());
          } else {
            json.writeStringField("payloadBase64", Base64.getEncoder().encodeToString(e.payload()));
          }
          json.writeEndObject();
          json.writeRaw('\n');
        }

        @Override
        public void finish() throws IOException {
          json.flush();
        }
      };
    }
  },
  /** RFC 4180 CSV with a header; {@code payloadEncoding} says whether {@code payload} is utf8 text or base64. */
  csv {
    static final String HEADER = "job,partition,sequence,eventId,eventTime,type,group,schemaVersion,payloadEncoding,payload\r\n";

    @Override
    Writer open(OutputStream out) throws IOException {
      out.write(HEADER.getBytes(StandardCharsets.US_ASCII));
      return new Writer() {
        private final StringBuilder line = new StringBuilder();

        @Override
        public void write(Event e) throws IOException {
          line.setLength(0);
          Optional<String> text = utf8(e.payload());
          field(e.jobId().value()).append(',').append(e.partition()).append(',').append(e.sequence()).append(',');
          field(e.eventId()).append(',').append(e.eventTime()).append(',');
          field(e.type()).append(',');
          field(e.groupKey()).append(',').append(e.schemaVersion()).append(',').append(text.isPresent() ? "utf8" : "base64").append(',');
          field(text.orElseGet(() -> Base64.getEncoder().encodeToString(e.payload()))).append("\r\n");
          out.write(line.toString().getBytes(StandardCharsets.UTF_8));
        }

        private StringBuilder field(String value) {
          boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0;
          return quote ? line.append('"').append(value.replace("\"", "\"\"")).append('"') : line.append(value);
        }

        @Override
        public void finish() {}
      };
    }
  },
  /** Each payload's bytes as they are, followed by a newline: for payloads that are themselves lines (JSON, say). */
  raw {
    @Override
    Writer open(OutputStream out) {
      return new Writer() {
        @Override
        public void write(Event e) throws IOException {
          for (byte b : e.payload()) {
            if (b == '\n') {
              // a newline inside would silently split one event into two lines
              throw new IllegalArgumentException("--format raw: the payload of event " + e.eventId() + " (sequence " + e.sequence()
                  + ") holds a newline, so raw cannot keep it apart from the next; use --format jsonl");
            }
          }
          out.write(e.payload());
          out.write('\n');
        }

        @Override
        public void finish() {}
      };
    }
  };

  /** Writes events to one stream; {@link #finish} flushes what it buffered (the stream stays open). */
  interface Writer {
    void write(Event event) throws IOException;

    void finish() throws IOException;
  }

  abstract Writer open(OutputStream out) throws IOException;

  /** The bytes as text when they are well-formed UTF-8. */
  static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
