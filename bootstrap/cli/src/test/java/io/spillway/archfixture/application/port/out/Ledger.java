package io.spillway.archfixture.application.port.out;

import io.spillway.archfixture.domain.Tally;

/** A well-behaved out-port: speaks the domain. */
public interface Ledger {
  void record(Tally tally);
}
