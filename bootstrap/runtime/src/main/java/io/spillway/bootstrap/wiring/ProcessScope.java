package io.spillway.bootstrap.wiring;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import javax.inject.Scope;

/**
 * One per process: the services each Spillway process has its own of (its publisher, intake,
 * governor, ingest service, stream consumer). A single-process component carries this scope next
 * to {@code @Singleton}; an {@link InMemoryWorld} gives each of its {@link InMemoryProcess}es its own.
 */
@Scope
@Documented
@Retention(RetentionPolicy.RUNTIME)
public @interface ProcessScope {}
