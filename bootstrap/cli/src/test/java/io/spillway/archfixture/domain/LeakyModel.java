package io.spillway.archfixture.domain;

import io.spillway.archfixture.adapters.inmemory.InMemoryLedger;

/** Planted violation: a domain model holding an adapter. */
public record LeakyModel(Tally tally, InMemoryLedger ledger) {}
